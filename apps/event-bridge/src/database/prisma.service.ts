import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createPgAdapter, serviceDatabaseUrl } from '@switchboard/persistence';
import { EventBridgeConfig } from '../config';
import { PrismaClient } from '../generated/prisma/client';

export const EVENT_BRIDGE_SCHEMA = 'event_bridge';

export type EventBridgeTx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** event-bridge's own database: the `event_bridge` schema and nothing else. */
@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(config: EventBridgeConfig) {
    super({ adapter: createPgAdapter({ databaseUrl: serviceDatabaseUrl(EVENT_BRIDGE_SCHEMA, config.DATABASE_URL) }) });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}
