import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { __resetOutOfContextForTests as forgetPreviousRootLogger } from 'nestjs-pino/PinoLogger';
import type { Logger as PinoInstance } from 'pino';
import type { BaseServiceEnv } from '../config/base-service-env';
import { SERVICE_CONFIG, ServiceConfig } from '../config/service-config';
import { HealthModule } from '../health/health.module';
import { ServiceShutdown } from '../lifecycle/service-shutdown';
import { createServiceLogger } from '../logging/service-logger';
import { MetricsModule } from '../metrics/metrics.module';

/** Injection token for the service's name (as given to bootstrapService). */
export const SERVICE_NAME = 'SERVICE_NAME';

export interface ServiceKitOptions<C extends BaseServiceEnv> {
  name: string;
  config: C;
  /** The process's root logger; made from LOG_LEVEL when omitted. */
  logger?: PinoInstance;
}

/**
 * Everything a service shares, made global: the validated configuration, pino logging
 * (`Logger`/`PinoLogger` from nestjs-pino), health probes with the readiness registry, metrics and
 * shutdown. bootstrapService imports it; a test module can import it directly.
 */
@Module({})
export class ServiceKitModule {
  static forRoot<C extends BaseServiceEnv>({ name, config, logger }: ServiceKitOptions<C>): DynamicModule {
    const rootLogger = logger ?? createServiceLogger({ name, level: config.LOG_LEVEL });
    const frozenConfig = Object.freeze({ ...config });
    // nestjs-pino keeps the first root logger it sees in a module-level variable, for logs outside
    // requests; forget it so this app's lines reach this app's logger (matters when tests boot
    // several apps in one process).
    forgetPreviousRootLogger();
    return {
      module: ServiceKitModule,
      global: true,
      // pino-http is installed by bootstrapService ahead of the body parsers; nestjs-pino only
      // binds the request's logger for injected loggers (`useExisting`).
      imports: [LoggerModule.forRoot({ pinoHttp: { logger: rootLogger }, useExisting: true }), HealthModule, MetricsModule],
      providers: [
        { provide: SERVICE_CONFIG, useValue: frozenConfig },
        { provide: ServiceConfig, useValue: new ServiceConfig<C>(frozenConfig) },
        { provide: SERVICE_NAME, useValue: name },
        ServiceShutdown,
      ],
      exports: [SERVICE_CONFIG, ServiceConfig, SERVICE_NAME, ServiceShutdown],
    };
  }
}
