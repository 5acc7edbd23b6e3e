import { SecretBox } from '@switchboard/persistence';
import { type ServiceTestApp, startServiceTestApp } from '@switchboard/platform/test-support';
import { AppModule } from '../app.module';
import { CrmSyncConfig } from '../config';
import { PrismaService } from '../database/prisma.service';

export interface CrmSyncTestApp extends ServiceTestApp<CrmSyncConfig> {
  prisma: PrismaService;
}

/** crm-sync in this process on a fresh database and this test run's Kafka; `env` overrides configuration. */
export async function startCrmSyncTestApp(env: Record<string, string> = {}): Promise<CrmSyncTestApp> {
  const started = await startServiceTestApp({
    service: 'crm-sync',
    module: AppModule,
    config: CrmSyncConfig,
    env: { SECRETS_ENCRYPTION_KEY: SecretBox.generateKey(), SHUTDOWN_GRACE_MS: '1000', ...env },
  });
  return { ...started, prisma: started.app.get(PrismaService) };
}
