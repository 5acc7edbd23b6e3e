import { baseServiceEnv, envPort } from '@switchboard/service-kit';
import { z } from 'zod';

export const proactiveDeliveryEnv = baseServiceEnv.extend({
  PORT: envPort().default(3001),
});

export type ProactiveDeliveryConfig = z.infer<typeof proactiveDeliveryEnv>;
