import { baseServiceEnv } from '@switchboard/service-kit';
import { z } from 'zod';

export const proactiveDeliveryEnv = baseServiceEnv.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(3001),
});

export type ProactiveDeliveryConfig = z.infer<typeof proactiveDeliveryEnv>;
