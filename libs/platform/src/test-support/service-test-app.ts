import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadOrCreateDevKeys, mintDevToken, type Role } from '@switchboard/auth';
import { deployMigrations } from '@switchboard/persistence/migrate';
import { createTestDatabase, testInfra } from '@switchboard/testing';
import type { ServiceConfig } from '@switchboard/service-kit';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startServiceApp } from '../start-service';

export interface ServiceTestAppOptions<C extends ServiceConfig> {
  /** The service's name (apps/<name>): its migrations are applied to the fresh database. */
  service: string;
  module: Type<unknown>;
  /** The service's configuration class (serviceConfigClass). */
  config: (new (values: never) => C) & { load(options: { env: NodeJS.ProcessEnv }): ServiceConfig };
  /** Configuration over the test defaults. */
  env?: Record<string, string>;
  /** Another app's database: this one is then a second replica, which must not drop what it borrows. */
  sharedDatabaseUrl?: string;
}

export interface ServiceTestApp<C extends ServiceConfig> {
  app: NestFastifyApplication;
  url: string;
  config: C;
  databaseUrl: string;
  /** A development token for the tenant and roles (`subject` default `dev-user`), which the app trusts. */
  token(tenantId: string, roles: Role[], subject?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A whole service in this process, on a fresh database with its migrations applied and this test
 * run's Kafka, trusting development tokens signed by a key of its own.
 */
export async function startServiceTestApp<C extends ServiceConfig>(options: ServiceTestAppOptions<C>): Promise<ServiceTestApp<C>> {
  const { kafkaBrokers } = await testInfra();
  const database = options.sharedDatabaseUrl
    ? { url: options.sharedDatabaseUrl, drop: async () => undefined }
    : await createTestDatabase(options.service.replace(/[^a-z0-9]/g, '_').slice(0, 20));
  if (!options.sharedDatabaseUrl) await deployMigrations({ service: options.service, databaseUrl: database.url });
  const keysDir = await mkdtemp(join(tmpdir(), `sb-${options.service}-keys-`));
  const keys = await loadOrCreateDevKeys(keysDir);

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
  return {
    app,
    url,
    config,
    databaseUrl: database.url,
    token: (tenantId, roles, subject) => mintDevToken({ tenantId, roles, keys, ...(subject === undefined ? {} : { subject }) }),
    async close() {
      await app.close();
      await database.drop();
      await rm(keysDir, { recursive: true, force: true });
    },
  };
}
