import { SecretBox } from '@switchboard/persistence';
import { type ServiceTestApp, startServiceTestApp } from '@switchboard/platform/test-support';
import { type OutboxRow, readOutbox } from '@switchboard/testing';
import manifest from '../../service.json';
import { AppModule } from '../app.module';
import { OutboundMessagingConfig } from '../config';
import { PrismaService } from '../database/prisma.service';

export interface MessagingTestApp extends ServiceTestApp<OutboundMessagingConfig> {
  prisma: PrismaService;
  /** The outbox rows in relay order, optionally only those keyed by one message id. */
  outbox(filter?: { key?: string }): Promise<OutboxRow[]>;
}

/** outbound-messaging in this process on a fresh database and this test run's Kafka; `env` overrides configuration. */
export async function startMessagingTestApp(env: Record<string, string> = {}, options: { replicaOf?: MessagingTestApp } = {}): Promise<MessagingTestApp> {
  const started = await startServiceTestApp({
    service: 'outbound-messaging',
    module: AppModule,
    config: OutboundMessagingConfig,
    env: { SECRETS_ENCRYPTION_KEY: options.replicaOf?.config.SECRETS_ENCRYPTION_KEY ?? SecretBox.generateKey(), SHUTDOWN_GRACE_MS: '1000', ...env },
    replicaOf: options.replicaOf,
  });
  const prisma = started.app.get(PrismaService);
  return { ...started, prisma, outbox: (filter) => readOutbox(prisma, manifest.schema, filter) };
}
