import { baseServiceEnv } from '@switchboard/service-kit';
import { z } from 'zod';

export const crmSyncEnv = baseServiceEnv.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(3003),
});

export type CrmSyncConfig = z.infer<typeof crmSyncEnv>;
