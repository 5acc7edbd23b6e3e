import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadOrCreateDevKeys, type Role } from '@switchboard/auth';
import { SecretBox } from '@switchboard/persistence';
import { deployMigrations } from '@switchboard/persistence/migrate';
import { devTokenFetch, inProcessServiceEnv, startInProcessService } from '@switchboard/platform/in-process';
import { createTestDatabase, testInfra } from '@switchboard/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../app.module';
import { CrmSyncConfig } from '../config';
import { PrismaService } from '../database/prisma.service';

export interface CrmSyncTestApp {
  app: NestFastifyApplication;
  url: string;
  prisma: PrismaService;
  /** fetch against the app with a development bearer token of the tenant and roles. */
  call(path: string, init: RequestInit & { tenantId: string; roles: Role[] }): Promise<Response>;
  close(): Promise<void>;
}

/** crm-sync in this process on a fresh database and this test run's Kafka; `env` overrides configuration. */
export async function startCrmSyncTestApp(env: Record<string, string> = {}): Promise<CrmSyncTestApp> {
  const { kafkaBrokers } = await testInfra();
  const database = await createTestDatabase('crm');
  await deployMigrations({ service: 'crm-sync', databaseUrl: database.url });
  const keysDir = await mkdtemp(join(tmpdir(), 'sb-crm-keys-'));
  const keys = await loadOrCreateDevKeys(keysDir);
  const config = CrmSyncConfig.load({
    env: {
      ...process.env,
      ...inProcessServiceEnv('crm-sync', { databaseUrl: database.url, kafkaBrokers, keysDir }),
      SECRETS_ENCRYPTION_KEY: SecretBox.generateKey(),
      SHUTDOWN_GRACE_MS: '1000',
      ...env,
    },
  });
  const { app, url } = await startInProcessService('crm-sync', AppModule, config);
  return {
    app,
    url,
    prisma: app.get(PrismaService),
    call: devTokenFetch(url, keys),
    async close() {
      await app.close();
      await database.drop();
      await rm(keysDir, { recursive: true, force: true });
    },
  };
}
