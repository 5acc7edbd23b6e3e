import { type BaseServiceEnv, bootstrapService, type BootstrapServiceOptions } from '@switchboard/service-kit';
import { startEventHandlers } from '@switchboard/messaging';

/**
 * Starts a service built on the platform: the HTTP app of `bootstrapService`, made hybrid with the
 * service's `@EventPattern` handlers served from Kafka through the inbox (they start before HTTP
 * listens, after the app's own initialisation).
 */
export function startServiceApp<C extends BaseServiceEnv>(options: BootstrapServiceOptions<C>) {
  return bootstrapService({
    ...options,
    beforeListen: async (app) => {
      await options.beforeListen?.(app);
      await startEventHandlers(app);
    },
  });
}
