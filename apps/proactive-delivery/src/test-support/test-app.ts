import { loadOrCreateDevKeys, mintDevToken, Role } from '@switchboard/auth';
import { deployMigrations } from '@switchboard/persistence/migrate';
import { startServiceApp } from '@switchboard/platform';
import { createTestDatabase, type OutboxRow, readOutbox, testInfra } from '@switchboard/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
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
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      KAFKA_BROKERS: kafkaBrokers.join(','),
      KAFKA_CONSUMER_GROUP: `proactive-delivery.test-${randomUUID().slice(0, 8)}`,
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      AUTH_DEV_ISSUER_ENABLED: 'true',
      AUTH_DEV_KEYS_DIR: keysDir,
      LOG_LEVEL: 'warn',
      SHUTDOWN_GRACE_MS: '2000',
      ...env,
    },
  });
  const app = await startServiceApp({
    name: 'proactive-delivery',
    module: AppModule,
    config,
    openApi: { title: 'test', description: 'test', version: '1' },
    // SB_TEST_LOGS=1 shows the app's JSON log while debugging a test.
    logDestination: process.env['SB_TEST_LOGS'] ? process.stderr : new Writable({ write: (_chunk, _encoding, done) => done() }),
    shutdownSignals: [],
    exitProcess: false,
  });
  const url = await app.getUrl();
  const token = (tenantId: string, roles: Role[]) => mintDevToken({ tenantId, roles, keys });
  return {
    app,
    url: url.replace('[::1]', '127.0.0.1'),
    config,
    prisma: app.get(PrismaService),
    databaseUrl: database.url,
    token,
    outbox: (filter) => readOutbox(app.get(PrismaService), PROACTIVE_DELIVERY_SCHEMA, filter),
    async call(path, { tenantId, roles, headers, ...init }) {
      const authorization = `Bearer ${await token(tenantId, roles)}`;
      return fetch(`${url}${path}`, { ...init, headers: { 'content-type': 'application/json', authorization, ...headers } });
    },
    async close() {
      await app.close();
      await database.drop();
      await rm(keysDir, { recursive: true, force: true });
    },
  };
}
