import { type DynamicModule, Logger, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
import type { DestinationStream, Logger as Pino } from 'pino';
import { byteSize } from '../config/env-schemas';
import { ConfigError, printConfigProblems } from '../config/load-config';
import type { ServiceConfig } from '../config/service-config';
import { ApiExceptionFilter } from '../errors/api-exception.filter';
import { useBodyParsers } from '../http/body-parsers';
import { fastifyOptionsFor } from '../http/fastify-options';
import { usePlatformHooks } from '../http/platform-hooks';
import { securityHeaders } from '../http/security-headers';
import { ServiceLifecycle } from '../lifecycle/service-lifecycle';
import { ServiceShutdown } from '../lifecycle/service-shutdown';
import { createServiceLogger, requestCompletionLogger } from '../logging/service-logger';
import { enableDefaultMetrics, httpMetricsRecorder } from '../metrics/http-metrics';
import { MetricsServer } from '../metrics/metrics-server';
import { API_DOCS_PATH, type OpenApiInfo, setupOpenApi } from '../openapi/openapi';
import { RateLimits } from '../rate-limit/rate-limits';
import { ServiceKitModule } from './service-kit.module';

export interface BootstrapServiceOptions {
  /** Appears in every log line and in the "listening" line. */
  name: string;
  /** The service's root module. */
  module: Type<unknown> | DynamicModule;
  /** The service's configuration (e.g. `CrmSyncConfig.loadOrExit()`); PORT 0 picks a free port. */
  config: ServiceConfig;
  openApi: OpenApiInfo;
  /** Where JSON log lines go; stdout when omitted. */
  logDestination?: DestinationStream;
  /** Signals that start a graceful shutdown; default SIGTERM and SIGINT. */
  shutdownSignals?: readonly NodeJS.Signals[];
  /**
   * Leave the process once shut down, and with exit code 1 when the start fails; default true.
   * Tests sharing a process pass false (a failed start then closes the app and rejects).
   */
  exitProcess?: boolean;
  /** Runs once the app is created and configured, before it listens (e.g. connect microservices). */
  beforeListen?: (app: NestFastifyApplication) => Promise<void> | void;
}

@Module({})
class ServiceRootModule {}

/**
 * Creates, configures and starts a service's HTTP app on Fastify, and returns it listening on
 * HOST:PORT: structured logs with request/correlation ids, one error shape, JSON-only bodies checked
 * at parse time (raw bytes kept for HMAC), rate limits, slow-client timeouts, security headers,
 * `/health/*`, `/metrics`, `/openapi.json`, `/docs`, and graceful shutdown on signals. A failed start
 * logs one line naming the step and exits 1 (configuration problems: one `config:` line each).
 */
export async function bootstrapService(options: BootstrapServiceOptions): Promise<NestFastifyApplication> {
  const { name, config } = options;
  const rootLogger = createServiceLogger({ name, level: config.LOG_LEVEL, destination: options.logDestination });
  const kit = ServiceKitModule.forRoot({ name, config, logger: rootLogger });
  let app: NestFastifyApplication | undefined;
  let step = 'creating the application';
  try {
    app = await NestFactory.create<NestFastifyApplication>(
      { module: ServiceRootModule, imports: [kit, options.module] },
      new FastifyAdapter(fastifyOptionsFor(config, rootLogger)),
      // Module errors reach the catch below instead of aborting the process; body parsers are the platform's.
      { logger: nestLoggerFor(rootLogger), abortOnError: false, bodyParser: false },
    );
    configureHttp(app, options, rootLogger);
    step = 'beforeListen';
    await options.beforeListen?.(app);
    step = 'listening';
    await app.listen(config.PORT, config.HOST);
    await app.get(MetricsServer).start();
  } catch (error) {
    return failedStart({ name, step, error, app, rootLogger, exitProcess: options.exitProcess ?? true });
  }
  const { port } = app.getHttpServer().address() as { port: number };
  new Logger('Bootstrap').log(`${name} listening on http://${config.HOST}:${port}`);
  app.get(ServiceShutdown).attach(app, {
    graceMs: config.SHUTDOWN_GRACE_MS,
    signals: options.shutdownSignals ?? ['SIGTERM', 'SIGINT'],
    exitProcess: options.exitProcess ?? true,
  });
  return app;
}

function configureHttp(app: NestFastifyApplication, { config, openApi }: BootstrapServiceOptions, rootLogger: Pino): void {
  const fastify = app.getHttpAdapter().getInstance();
  useBodyParsers(fastify, { limit: byteSize(config.HTTP_BODY_LIMIT), maxDepth: config.HTTP_JSON_MAX_DEPTH });
  enableDefaultMetrics();
  usePlatformHooks(fastify, {
    lifecycle: app.get(ServiceLifecycle),
    rateLimits: app.get(RateLimits),
    securityHeaders: securityHeaders(API_DOCS_PATH),
    afterResponse: [httpMetricsRecorder(), requestCompletionLogger(rootLogger)],
  });
  app.useGlobalFilters(new ApiExceptionFilter());
  setupOpenApi(app, openApi);
}

// Nest's own lines (and those of `new Logger(...)` anywhere) as pino JSON from the first one on.
function nestLoggerFor(rootLogger: Pino): NestPinoLogger {
  return new NestPinoLogger(new PinoLogger({ pinoHttp: { logger: rootLogger } }), {});
}

interface FailedStart {
  name: string;
  step: string;
  error: unknown;
  app: NestFastifyApplication | undefined;
  rootLogger: Pino;
  exitProcess: boolean;
}

async function failedStart({ name, step, error, app, rootLogger, exitProcess }: FailedStart): Promise<never> {
  if (error instanceof ConfigError) printConfigProblems(error.problems);
  const reason = error instanceof ConfigError ? 'invalid configuration' : error instanceof Error ? error.message : String(error);
  rootLogger.fatal({ step }, `${name} could not start: ${step} failed: ${reason}`);
  if (exitProcess) process.exit(1);
  await app?.close().catch(() => undefined);
  throw error;
}
