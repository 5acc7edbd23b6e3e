import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createServicePool, prismaAdapterOn, serviceDatabaseUrl } from '@switchboard/persistence';
import type { Pool } from 'pg';
import { ProactiveDeliveryConfig } from '../config';
import { PrismaClient } from '../generated/prisma/client';

export const PROACTIVE_DELIVERY_SCHEMA = 'proactive_delivery';

export type ProactiveDeliveryTx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/**
 * proactive-delivery's own database: the `proactive_delivery` schema and nothing else. The pool is
 * exposed because the create API's transaction runs as plain SQL on it (see deliveries/delivery-insert).
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  readonly pool: Pool;

  constructor(config: ProactiveDeliveryConfig) {
    const pool = createServicePool({ databaseUrl: serviceDatabaseUrl(PROACTIVE_DELIVERY_SCHEMA, config.DATABASE_URL) });
    super({ adapter: prismaAdapterOn(pool, PROACTIVE_DELIVERY_SCHEMA) });
    this.pool = pool;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}
