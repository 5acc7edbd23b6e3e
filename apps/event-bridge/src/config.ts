import { baseServiceEnv, envPort } from '@switchboard/service-kit';
import { z } from 'zod';

export const eventBridgeEnv = baseServiceEnv.extend({
  PORT: envPort().default(3005),
  SECRETS_ENCRYPTION_KEY: z.base64().refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded'),
});

export type EventBridgeConfig = z.infer<typeof eventBridgeEnv>;
