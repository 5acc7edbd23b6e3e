import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startEventHandlers } from '@switchboard/messaging';
import type { ServiceManifest } from '@switchboard/service-manifest';
import { bootstrapService, type BootstrapServiceOptions, type LoadConfigOptions, type ServiceConfig } from '@switchboard/service-kit';

/**
 * Starts a service built on the platform: the HTTP app of `bootstrapService`, made hybrid with the
 * service's `@EventPattern` handlers served from Kafka through the inbox (they start before HTTP
 * listens, after the app's own initialisation).
 */
export function startServiceApp(options: BootstrapServiceOptions): Promise<NestFastifyApplication> {
  return bootstrapService({
    ...options,
    beforeListen: async (app) => {
      await options.beforeListen?.(app);
      await startEventHandlers(app);
    },
  });
}

export interface ServiceDefinition {
  /** The service's `service.json`: its name, default port, title and description come from there. */
  manifest: Pick<ServiceManifest, 'name' | 'port' | 'title' | 'description'>;
  module: Type<unknown>;
  /** The service's configuration class; its environment is validated at start (one line per problem, exit 1). */
  config: { loadOrExit(options?: LoadConfigOptions): ServiceConfig };
}

/** A service's whole `main.ts`: `void runService({ manifest, module: AppModule, config: CrmSyncConfig })`. */
export function runService({ manifest, module, config }: ServiceDefinition): Promise<NestFastifyApplication> {
  return startServiceApp({
    name: manifest.name,
    module,
    config: config.loadOrExit({ defaults: { PORT: manifest.port } }),
    openApi: { title: manifest.title, description: manifest.description, version: '1.0' },
  });
}
