import { type ServiceTestApp, startServiceTestApp } from '@switchboard/platform/test-support';
import { type OutboxRow, readOutbox } from '@switchboard/testing';
import { AppModule } from '../app.module';
import { ProactiveDeliveryConfig } from '../config';
import { PROACTIVE_DELIVERY_SCHEMA, PrismaService } from '../database/prisma.service';

export interface ProactiveTestApp extends ServiceTestApp<ProactiveDeliveryConfig> {
  prisma: PrismaService;
  /** The outbox rows in relay order, optionally only those keyed by one delivery id. */
  outbox(filter?: { key?: string }): Promise<OutboxRow[]>;
}

/**
 * The whole proactive-delivery app in this process, on a fresh database with its migrations applied
 * and this test run's Kafka. `env` overrides configuration (e.g. DISPATCH_POLL_MS).
 */
export async function startProactiveTestApp(env: Record<string, string> = {}, options: { replicaOf?: ProactiveTestApp } = {}): Promise<ProactiveTestApp> {
  const started = await startServiceTestApp({ service: 'proactive-delivery', module: AppModule, config: ProactiveDeliveryConfig, env, replicaOf: options.replicaOf });
  const prisma = started.app.get(PrismaService);
  return { ...started, prisma, outbox: (filter) => readOutbox(prisma, PROACTIVE_DELIVERY_SCHEMA, filter) };
}
