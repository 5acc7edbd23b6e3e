import type { z } from 'zod';
import { type BaseServiceEnv, baseServiceEnv } from './base-service-env';
import { loadConfig, loadConfigOrExit, type LoadConfigOptions } from './load-config';

// A class whose instances carry `values` as their own read-only properties (`config.PORT`).
function valuesClass<T extends object>(): new (values: T) => Readonly<T> {
  return class {
    constructor(values: T) {
      Object.assign(this, values);
      Object.freeze(this);
    }
  } as new (values: T) => Readonly<T>;
}

/**
 * The validated configuration of the process, one frozen instance. Libraries inject this class
 * (`constructor(private readonly config: ServiceConfig)`) and read the variables every service has;
 * a service injects its own subclass (made with `serviceConfigClass`), bound to the same instance.
 */
export class ServiceConfig extends valuesClass<BaseServiceEnv>() {
  /** For tests and tools: the base variables from `env` (default process.env). */
  static fromEnv(options: LoadConfigOptions = {}): ServiceConfig {
    return new ServiceConfig(loadConfig(baseServiceEnv, options));
  }
}

export interface ServiceConfigClass<S extends z.ZodObject> {
  new (values: z.infer<S>): ServiceConfig & Readonly<z.infer<S>>;
  /** The variables this class holds; also what the OpenAPI page and README document. */
  readonly schema: S;
  /** Validates the environment; ConfigError (after printing one line per problem) when it is wrong. */
  load<C>(this: new (values: z.infer<S>) => C, options?: LoadConfigOptions): C;
  /** For main.ts: like load, but exits with code 1 instead of throwing. */
  loadOrExit<C>(this: new (values: z.infer<S>) => C, options?: LoadConfigOptions): C;
}

/**
 * The base of a service's configuration class:
 * `export class CrmSyncConfig extends serviceConfigClass(crmSyncEnv) {}` where `crmSyncEnv` is
 * `baseServiceEnv.extend({...})`. Subclasses add no fields (instances are frozen).
 */
export function serviceConfigClass<S extends z.ZodObject>(schema: S & BaseSchema<S>): ServiceConfigClass<S> {
  class Config extends ServiceConfig {
    static readonly schema = schema;

    static load(options?: LoadConfigOptions): ServiceConfig {
      return new this(loadConfig(schema, options) as BaseServiceEnv);
    }

    static loadOrExit(options?: LoadConfigOptions): ServiceConfig {
      return new this(loadConfigOrExit(schema, options) as BaseServiceEnv);
    }
  }
  return Config as unknown as ServiceConfigClass<S>;
}

// Compile-time check that a service schema extends baseServiceEnv.
type BaseSchema<S extends z.ZodObject> = z.infer<S> extends BaseServiceEnv ? unknown : 'must extend baseServiceEnv';
