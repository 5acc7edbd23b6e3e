import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createPgAdapter, serviceDatabaseUrl } from '@switchboard/persistence';
import { SERVICE_CONFIG } from '@switchboard/service-kit';
import { ProactiveDeliveryConfig } from '../config';
import { PrismaClient } from '../generated/prisma/client';

export const PROACTIVE_DELIVERY_SCHEMA = 'proactive_delivery';

export type ProactiveDeliveryTx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** proactive-delivery's own database: the `proactive_delivery` schema and nothing else. */
@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(@Inject(SERVICE_CONFIG) config: ProactiveDeliveryConfig) {
    super({ adapter: createPgAdapter({ databaseUrl: serviceDatabaseUrl(PROACTIVE_DELIVERY_SCHEMA, config.DATABASE_URL) }) });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}
