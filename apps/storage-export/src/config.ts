import { baseServiceEnv, envPort } from '@switchboard/service-kit';
import { z } from 'zod';

export const storageExportEnv = baseServiceEnv.extend({
  PORT: envPort().default(3004),
});

export type StorageExportConfig = z.infer<typeof storageExportEnv>;
