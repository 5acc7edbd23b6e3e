import type { BaseServiceEnv } from './base-service-env';

/**
 * Injection token for the one validated configuration of the process, as the plain frozen object
 * `loadConfig` returned: `constructor(@Inject(SERVICE_CONFIG) config: MyServiceConfig)`.
 */
export const SERVICE_CONFIG = 'SERVICE_CONFIG';

/** The same configuration behind a typed getter, injectable by class: `config.get('KAFKA_BROKERS')`. */
export class ServiceConfig<T extends object = BaseServiceEnv> {
  constructor(private readonly values: Readonly<T>) {}

  get<K extends keyof T>(key: K): T[K] {
    return this.values[key];
  }

  get all(): Readonly<T> {
    return this.values;
  }
}
