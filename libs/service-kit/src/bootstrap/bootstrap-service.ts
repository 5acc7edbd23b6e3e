import type { AddressInfo } from 'node:net';
import { type DynamicModule, Logger, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { BaseServiceEnv } from '../config/base-service-env';
import { correlationMiddleware } from '../correlation/correlation.middleware';
import { ApiExceptionFilter } from '../errors/api-exception.filter';
import { useBodyParsers } from '../http/body-parsers';
import { ServiceLifecycle } from '../lifecycle/service-lifecycle';
import { ServiceShutdown } from '../lifecycle/service-shutdown';
import { createHttpLogger, createServiceLogger } from '../logging/service-logger';
import { HttpRouteInterceptor, enableDefaultMetrics, httpMetricsMiddleware } from '../metrics/http-metrics';
import { type OpenApiInfo, setupOpenApi } from '../openapi/openapi';
import { ServiceKitModule } from './service-kit.module';

export interface BootstrapServiceOptions<C extends BaseServiceEnv> {
  /** Appears in every log line and in the "listening" line. */
  name: string;
  /** The service's root module. */
  module: Type<unknown> | DynamicModule;
  /** Validated by `loadConfig` (PORT 0 picks a free port, for tests). */
  config: C;
  openApi: OpenApiInfo;
  /** Where JSON log lines go; stdout when omitted. */
  logDestination?: DestinationStream;
  /** Signals that start a graceful shutdown; default SIGTERM and SIGINT. */
  shutdownSignals?: readonly NodeJS.Signals[];
  /** Leave the process once shut down; default true. Tests sharing a process pass false. */
  exitAfterShutdown?: boolean;
  /** Runs once the app is configured, before it listens: e.g. attaching microservice transports. */
  beforeListen?: (app: NestExpressApplication) => Promise<void> | void;
}

@Module({})
class ServiceRootModule {}

/**
 * Creates, configures and starts a service's HTTP app, and returns it listening on HOST:PORT:
 * structured logs with request/correlation ids, one error shape, raw bodies for HMAC, body size
 * limit, `/health/*`, `/metrics`, `/openapi.json`, `/docs`, and graceful shutdown on signals.
 */
export async function bootstrapService<C extends BaseServiceEnv>(
  options: BootstrapServiceOptions<C>,
): Promise<NestExpressApplication> {
  const { name, config } = options;
  const rootLogger = createServiceLogger({ name, level: config.LOG_LEVEL, destination: options.logDestination });
  const app = await NestFactory.create<NestExpressApplication>(
    { module: ServiceRootModule, imports: [ServiceKitModule.forRoot({ name, config, logger: rootLogger }), options.module] },
    // Body parsers are installed below, after the request id and logging middleware.
    { bufferLogs: true, rawBody: true, bodyParser: false },
  );
  app.useLogger(app.get(NestPinoLogger));
  app.disable('x-powered-by');

  // Order matters: every later middleware, and a body parser's failure, sees the ids and is logged.
  app.use(app.get(ServiceLifecycle).trackRequests);
  app.use(correlationMiddleware);
  app.use(createHttpLogger(rootLogger));
  enableDefaultMetrics();
  app.use(httpMetricsMiddleware());
  useBodyParsers(app, config.HTTP_BODY_LIMIT);
  app.useGlobalFilters(new ApiExceptionFilter());
  app.useGlobalInterceptors(new HttpRouteInterceptor());
  setupOpenApi(app, options.openApi);
  await options.beforeListen?.(app);

  await app.listen(config.PORT, config.HOST);
  const { port } = app.getHttpServer().address() as AddressInfo;
  new Logger('Bootstrap').log(`${name} listening on http://${config.HOST}:${port}`);

  app.get(ServiceShutdown).attach(app, {
    graceMs: config.SHUTDOWN_GRACE_MS,
    signals: options.shutdownSignals ?? ['SIGTERM', 'SIGINT'],
    exitProcess: options.exitAfterShutdown ?? true,
  });
  return app;
}
