import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadOrCreateDevKeys, mintDevToken, type Role } from '@switchboard/auth';
import { deployMigrations } from '@switchboard/persistence/migrate';
import type { LoadConfigOptions, ServiceConfig } from '@switchboard/service-kit';
import { createTestDatabase, testInfra } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startServiceApp } from '../start-service';

export interface ServiceUnderTestOptions<C extends ServiceConfig> {
  /** The service's name (its folder in apps/): its migrations are applied and it names the app. */
  service: string;
  module: Type<unknown>;
  /** The service's configuration class. */
  config: (new (values: never) => C) & { load(options?: LoadConfigOptions): ServiceConfig };
  /** Overrides of the test environment (e.g. DISPATCH_POLL_MS). */
  env?: Record<string, string>;
  /** A database another instance already uses: this one is then a second replica and never drops it. */
  sharedDatabaseUrl?: string;
}

export interface ServiceUnderTest<C extends ServiceConfig> {
  app: NestFastifyApplication;
  url: string;
  config: C;
  databaseUrl: string;
  token(tenantId: string, roles: Role[]): Promise<string>;
  /** fetch against the app with a bearer token for the tenant and roles. */
  call(path: string, init: RequestInit & { tenantId: string; roles: Role[] }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * A whole service in this process, on a fresh database with its migrations applied and this test run's
 * Kafka (a consumer group of its own), accepting development tokens minted by `token`/`call`.
 */
export async function startServiceUnderTest<C extends ServiceConfig>(options: ServiceUnderTestOptions<C>): Promise<ServiceUnderTest<C>> {
  const { kafkaBrokers } = testInfra();
  const database = options.sharedDatabaseUrl ? { url: options.sharedDatabaseUrl, drop: async () => undefined } : await createTestDatabase(abbreviation(options.service));
  if (!options.sharedDatabaseUrl) await deployMigrations({ service: options.service, databaseUrl: database.url });
  const keysDir = await mkdtemp(join(tmpdir(), `sb-${abbreviation(options.service)}-keys-`));
  const keys = await loadOrCreateDevKeys(keysDir);

  // load() builds an instance of the class it is called on.
  const config = options.config.load({
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      KAFKA_BROKERS: kafkaBrokers.join(','),
      KAFKA_CONSUMER_GROUP: `${options.service}.test-${randomUUID().slice(0, 8)}`,
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      AUTH_DEV_ISSUER_ENABLED: 'true',
      AUTH_DEV_KEYS_DIR: keysDir,
      LOG_LEVEL: 'warn',
      SHUTDOWN_GRACE_MS: '2000',
      ...options.env,
    },
  }) as C;
  const app = await startServiceApp({
    name: options.service,
    module: options.module,
    config,
    openApi: { title: 'test', description: 'test', version: '1' },
    // SB_TEST_LOGS=1 shows the app's JSON log while debugging a test.
    logDestination: process.env['SB_TEST_LOGS'] ? process.stderr : new Writable({ write: (_chunk, _encoding, done) => done() }),
    shutdownSignals: [],
    exitProcess: false,
  });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const token = (tenantId: string, roles: Role[]) => mintDevToken({ tenantId, roles, keys });
  return {
    app,
    url,
    config,
    databaseUrl: database.url,
    token,
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

/** proactive-delivery → pd: keeps test database names short. */
function abbreviation(service: string): string {
  return service
    .split('-')
    .map((word) => word[0])
    .join('');
}
