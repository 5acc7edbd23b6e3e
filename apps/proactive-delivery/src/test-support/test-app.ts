import { loadOrCreateDevKeys, mintDevToken, Role } from '@switchboard/auth';
import { deployMigrations } from '@switchboard/persistence/migrate';
import { devTokenFetch, inProcessServiceEnv, startInProcessService } from '@switchboard/platform/in-process';
import { createTestDatabase, type OutboxRow, readOutbox, testInfra } from '@switchboard/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  const { kafkaBrokers } = await testInfra();
  // A second app on the same database is a second replica: it must not drop the database it borrows.
  const database = options.sharedDatabaseUrl
    ? { url: options.sharedDatabaseUrl, drop: async () => undefined }
    : await createTestDatabase('pd');
  if (!options.sharedDatabaseUrl) await deployMigrations({ service: 'proactive-delivery', databaseUrl: database.url });
  const keysDir = await mkdtemp(join(tmpdir(), 'sb-pd-keys-'));
  const keys = await loadOrCreateDevKeys(keysDir);

  const config = ProactiveDeliveryConfig.load({
    env: {
      ...process.env,
      ...inProcessServiceEnv('proactive-delivery', { databaseUrl: database.url, kafkaBrokers, keysDir }),
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      SHUTDOWN_GRACE_MS: '2000',
      ...env,
    },
  });
  const { app, url } = await startInProcessService('proactive-delivery', AppModule, config);
  const token = (tenantId: string, roles: Role[]) => mintDevToken({ tenantId, roles, keys });
  return {
    app,
    url,
    config,
    prisma: app.get(PrismaService),
    databaseUrl: database.url,
    token,
    outbox: (filter) => readOutbox(app.get(PrismaService), PROACTIVE_DELIVERY_SCHEMA, filter),
    call: devTokenFetch(url, keys),
    async close() {
      await app.close();
      await database.drop();
      await rm(keysDir, { recursive: true, force: true });
    },
  };
}
