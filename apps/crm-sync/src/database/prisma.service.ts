import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createPgAdapter, serviceDatabaseUrl } from '@switchboard/persistence';
import { CrmSyncConfig } from '../config';
import { PrismaClient } from '../generated/prisma/client';

export const CRM_SYNC_SCHEMA = 'crm_sync';

export type CrmSyncTx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** crm-sync's own database: the `crm_sync` schema and nothing else. */
@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(config: CrmSyncConfig) {
    super({ adapter: createPgAdapter({ databaseUrl: serviceDatabaseUrl(CRM_SYNC_SCHEMA, config.DATABASE_URL) }) });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}
