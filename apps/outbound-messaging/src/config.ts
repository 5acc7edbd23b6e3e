import { baseServiceEnv } from '@switchboard/service-kit';
import { z } from 'zod';

export const outboundMessagingEnv = baseServiceEnv.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(3002),
});

export type OutboundMessagingConfig = z.infer<typeof outboundMessagingEnv>;
