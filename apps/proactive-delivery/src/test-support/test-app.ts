import type { Role } from '@switchboard/auth';
import { startServiceUnderTest } from '@switchboard/platform/test-support';
import { type OutboxRow, readOutbox } from '@switchboard/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../app.module';
import { ProactiveDeliveryConfig } from '../config';
import { PROACTIVE_DELIVERY_SCHEMA, PrismaService } from '../database/prisma.service';

export interface ProactiveTestApp {
  app: NestFastifyApplication;
  url: string;
  config: ProactiveDeliveryConfig;
  prisma: PrismaService;
  databaseUrl: string;
  token(tenantId: string, roles: Role[]): Promise<string>;
  /** The outbox rows in relay order, optionally only those keyed by one delivery id. */
  outbox(filter?: { key?: string }): Promise<OutboxRow[]>;
  /** fetch against the app with a bearer token for the tenant and roles. */
  call(path: string, init: RequestInit & { tenantId: string; roles: Role[] }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The whole proactive-delivery app in this process, on a fresh database with its migrations applied
 * and this test run's Kafka. `env` overrides configuration (e.g. DISPATCH_POLL_MS).
 */
export async function startProactiveTestApp(env: Record<string, string> = {}, options: { sharedDatabaseUrl?: string } = {}): Promise<ProactiveTestApp> {
  const service = await startServiceUnderTest({ service: 'proactive-delivery', module: AppModule, config: ProactiveDeliveryConfig, env, ...options });
  const prisma = service.app.get(PrismaService);
  return { ...service, prisma, outbox: (filter) => readOutbox(prisma, PROACTIVE_DELIVERY_SCHEMA, filter) };
}
