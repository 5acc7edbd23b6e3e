import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Type } from '@nestjs/common';
import { loadOrCreateDevKeys, mintDevToken, Role } from '@switchboard/auth';
import { deployMigrations } from '@switchboard/persistence/migrate';
import { type LoadConfigOptions, LOG_LEVELS, type ServiceConfig } from '@switchboard/service-kit';
import { createTestDatabase, testInfra } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startServiceApp } from '../start-service';

export interface ServiceTestAppOptions<C extends ServiceConfig> {
  /** The service's name: its migrations are deployed, and its consumer group is named after it. */
  service: string;
  module: Type<unknown>;
  /** The service's configuration class (its instances are C). */
  config: (new (values: never) => C) & { load(options?: LoadConfigOptions): ServiceConfig };
  /** Overrides of the test defaults (e.g. a poll interval). */
  env?: Record<string, string>;
  /**
   * The database of a running test app: this one is then a second replica of the same service. It neither
   * migrates that database nor drops it. Replicas of one service share its consumer group, as in production.
   */
  replicaOf?: Pick<ServiceTestApp<C>, 'databaseUrl' | 'config'>;
}

export interface ServiceTestApp<C extends ServiceConfig> {
  app: NestFastifyApplication;
  url: string;
  config: C;
  databaseUrl: string;
  /** A development token for the tenant and roles; `subject` is its `sub` (default `dev-user`). */
  token(tenantId: string, roles: Role[], subject?: string): Promise<string>;
  /** fetch against the app with a bearer token for the tenant and roles. */
  call(path: string, init: RequestInit & { tenantId: string; roles: Role[]; subject?: string }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * A whole service in this process, through the real startServiceApp: on a fresh database with its
 * migrations applied (or a running app's, as a second replica) and this test run's Kafka, with the
 * development token issuer on. SB_TEST_LOGS=1 shows the app's JSON log (warnings and worse) while debugging a test;
 * SB_TEST_LOGS=<level> (info, debug…) shows it from that level.
 */
export async function startServiceTestApp<C extends ServiceConfig>(options: ServiceTestAppOptions<C>): Promise<ServiceTestApp<C>> {
  const { kafkaBrokers } = await testInfra();
  const database = options.replicaOf
    ? { url: options.replicaOf.databaseUrl, drop: async () => undefined }
    : await createTestDatabase(options.service.replace(/[^a-z]/g, '').slice(0, 8));
  if (!options.replicaOf) await deployMigrations({ service: options.service, databaseUrl: database.url });
  const keysDir = await mkdtemp(join(tmpdir(), `sb-${options.service}-keys-`));
  const keys = await loadOrCreateDevKeys(keysDir);

  const config = options.config.load({
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      KAFKA_BROKERS: kafkaBrokers.join(','),
      KAFKA_CONSUMER_GROUP: options.replicaOf?.config.KAFKA_CONSUMER_GROUP ?? `${options.service}.test-${randomUUID().slice(0, 8)}`,
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      AUTH_DEV_ISSUER_ENABLED: 'true',
      AUTH_DEV_KEYS_DIR: keysDir,
      LOG_LEVEL: testLogLevel(),
      SHUTDOWN_GRACE_MS: '2000',
      ...options.env,
    },
  }) as C;
  const app = await startServiceApp({
    name: options.service,
    module: options.module,
    config,
    openApi: { title: 'test', description: 'test', version: '1' },
    logDestination: process.env['SB_TEST_LOGS'] ? process.stderr : new Writable({ write: (_chunk, _encoding, done) => done() }),
    shutdownSignals: [],
    exitProcess: false,
  });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const token = (tenantId: string, roles: Role[], subject?: string) => mintDevToken({ tenantId, roles, keys, subject });
  return {
    app,
    url,
    config,
    databaseUrl: database.url,
    token,
    async call(path, { tenantId, roles, subject, headers, ...init }) {
      const authorization = `Bearer ${await token(tenantId, roles, subject)}`;
      return fetch(`${url}${path}`, { ...init, headers: { 'content-type': 'application/json', authorization, ...headers } });
    },
    async close() {
      await app.close();
      await database.drop();
      await rm(keysDir, { recursive: true, force: true });
    },
  };
}

/** The app's log level under test: warnings, or the level SB_TEST_LOGS names. */
function testLogLevel(): string {
  const level = process.env['SB_TEST_LOGS'] ?? '';
  return (LOG_LEVELS as readonly string[]).includes(level) ? level : 'warn';
}
