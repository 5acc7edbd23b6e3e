import { baseServiceEnv, envPort } from '@switchboard/service-kit';
import { z } from 'zod';

export const outboundMessagingEnv = baseServiceEnv.extend({
  PORT: envPort().default(3002),
});

export type OutboundMessagingConfig = z.infer<typeof outboundMessagingEnv>;
