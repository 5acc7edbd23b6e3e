import { baseServiceEnv, serviceConfigClass } from '@switchboard/service-kit';
import { z } from 'zod';

export const eventBridgeEnv = baseServiceEnv.extend({
  SECRETS_ENCRYPTION_KEY: z.base64().refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded'),
});

/** The service's validated environment, injected by class. */
export class EventBridgeConfig extends serviceConfigClass(eventBridgeEnv) {}
