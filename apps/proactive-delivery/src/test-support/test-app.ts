import { Role } from '@switchboard/auth';
import { type ServiceTestApp, startServiceTestApp } from '@switchboard/platform/test-support';
import { type OutboxRow, readOutbox } from '@switchboard/testing';
import { AppModule } from '../app.module';
import { ProactiveDeliveryConfig } from '../config';
import { PROACTIVE_DELIVERY_SCHEMA, PrismaService } from '../database/prisma.service';

export interface ProactiveTestApp extends ServiceTestApp<ProactiveDeliveryConfig> {
  prisma: PrismaService;
  /** The outbox rows in relay order, optionally only those keyed by one delivery id. */
  outbox(filter?: { key?: string }): Promise<OutboxRow[]>;
  /** fetch against the app with a bearer token for the tenant and roles. */
  call(path: string, init: RequestInit & { tenantId: string; roles: Role[] }): Promise<Response>;
}

/**
 * The whole proactive-delivery app in this process, on a fresh database with its migrations applied
 * and this test run's Kafka. `env` overrides configuration (e.g. DISPATCH_POLL_MS).
 */
export async function startProactiveTestApp(env: Record<string, string> = {}, options: { sharedDatabaseUrl?: string } = {}): Promise<ProactiveTestApp> {
  const started = await startServiceTestApp({ service: 'proactive-delivery', module: AppModule, config: ProactiveDeliveryConfig, env, ...options });
  const prisma = started.app.get(PrismaService);
  return {
    ...started,
    prisma,
    outbox: (filter) => readOutbox(prisma, PROACTIVE_DELIVERY_SCHEMA, filter),
    async call(path, { tenantId, roles, headers, ...init }) {
      const authorization = `Bearer ${await started.token(tenantId, roles)}`;
      return fetch(`${started.url}${path}`, { ...init, headers: { 'content-type': 'application/json', authorization, ...headers } });
    },
  };
}
