import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createPgAdapter, serviceDatabaseUrl } from '@switchboard/persistence';
import { StorageExportConfig } from '../config';
import { PrismaClient } from '../generated/prisma/client';

export const STORAGE_EXPORT_SCHEMA = 'storage_export';

export type StorageExportTx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** storage-export's own database: the `storage_export` schema and nothing else. */
@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(config: StorageExportConfig) {
    super({ adapter: createPgAdapter({ databaseUrl: serviceDatabaseUrl(STORAGE_EXPORT_SCHEMA, config.DATABASE_URL) }) });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}
