import { type DynamicModule, Module, type Provider, type Type } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { __resetOutOfContextForTests as forgetPreviousRootLogger } from 'nestjs-pino/PinoLogger';
import type { Logger as PinoInstance } from 'pino';
import { ServiceConfig } from '../config/service-config';
import { HealthModule } from '../health/health.module';
import { ServiceShutdown } from '../lifecycle/service-shutdown';
import { createServiceLogger } from '../logging/service-logger';
import { MetricsServer } from '../metrics/metrics-server';
import { MetricsModule } from '../metrics/metrics.module';
import { RateLimits } from '../rate-limit/rate-limits';

/** Injection token for the service's name (as given to bootstrapService). */
export const SERVICE_NAME = 'SERVICE_NAME';

export interface ServiceKitOptions {
  name: string;
  /** The service's configuration: an instance of its ServiceConfig subclass (or of ServiceConfig). */
  config: ServiceConfig;
  /** The process's root logger; made from LOG_LEVEL when omitted. */
  logger?: PinoInstance;
}

/**
 * Everything a service shares, made global: the validated configuration (injectable as
 * ServiceConfig and as the service's own class, one instance), pino logging (`Logger`/`PinoLogger`
 * from nestjs-pino), health probes with the readiness registry, metrics, rate limits and shutdown.
 * bootstrapService imports it; a test module can import it directly.
 */
@Module({})
export class ServiceKitModule {
  static forRoot({ name, config, logger }: ServiceKitOptions): DynamicModule {
    const rootLogger = logger ?? createServiceLogger({ name, level: config.LOG_LEVEL });
    // nestjs-pino keeps the first root logger it sees in a module-level variable, for logs outside
    // requests; forget it so this app's lines reach this app's logger (matters when tests boot
    // several apps in one process).
    forgetPreviousRootLogger();
    const configProviders = configProvidersFor(config);
    return {
      module: ServiceKitModule,
      global: true,
      imports: [
        // No request middleware (forRoutes: []): the platform's Fastify hooks log requests, and the
        // logger's mixin adds the request's ids from the correlation context.
        LoggerModule.forRoot({ pinoHttp: { logger: rootLogger }, useExisting: true, forRoutes: [] }),
        HealthModule,
        ...(config.METRICS_PORT === undefined ? [MetricsModule] : []),
      ],
      providers: [...configProviders, { provide: SERVICE_NAME, useValue: name }, ServiceShutdown, RateLimits, MetricsServer],
      exports: [...configProviders.map(({ provide }) => provide), SERVICE_NAME, ServiceShutdown, RateLimits, MetricsServer],
    };
  }
}

// The same instance under the base class (what libraries inject) and the service's own class.
function configProvidersFor(config: ServiceConfig): (Provider & { provide: Type })[] {
  const ownClass = config.constructor as Type<ServiceConfig>;
  const providers = [{ provide: ServiceConfig as Type, useValue: config }];
  if (ownClass !== ServiceConfig) providers.push({ provide: ownClass, useValue: config });
  return providers;
}
