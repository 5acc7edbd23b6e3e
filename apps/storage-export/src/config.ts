import { baseServiceEnv } from '@switchboard/service-kit';
import { z } from 'zod';

export const storageExportEnv = baseServiceEnv.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(3004),
});

export type StorageExportConfig = z.infer<typeof storageExportEnv>;
