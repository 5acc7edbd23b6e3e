import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createPgAdapter, serviceDatabaseUrl } from '@switchboard/persistence';
import { OutboundMessagingConfig } from '../config';
import { PrismaClient } from '../generated/prisma/client';

export const OUTBOUND_MESSAGING_SCHEMA = 'outbound_messaging';

export type OutboundMessagingTx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** outbound-messaging's own database: the `outbound_messaging` schema and nothing else. */
@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(config: OutboundMessagingConfig) {
    super({ adapter: createPgAdapter({ databaseUrl: serviceDatabaseUrl(OUTBOUND_MESSAGING_SCHEMA, config.DATABASE_URL) }) });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}
