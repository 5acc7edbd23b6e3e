import { baseServiceEnv, envPort } from '@switchboard/service-kit';
import { z } from 'zod';

export const crmSyncEnv = baseServiceEnv.extend({
  PORT: envPort().default(3003),
});

export type CrmSyncConfig = z.infer<typeof crmSyncEnv>;
