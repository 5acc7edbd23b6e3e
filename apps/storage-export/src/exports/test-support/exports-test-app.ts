import { Module } from '@nestjs/common';
import { Clock, ManualClock } from '@switchboard/clock';
import { type CloudEvent, ContactSessionEventTypes, type SessionEnded, Topics } from '@switchboard/contracts';
import { JobsService } from '@switchboard/jobs';
import { OutboxPublisher } from '@switchboard/messaging';
import { SecretBox } from '@switchboard/persistence';
import { ServicePlatformModule } from '@switchboard/platform';
import { type ServiceTestApp, startServiceTestApp } from '@switchboard/platform/test-support';
import { type OutboxRow, readOutbox } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import manifest from '../../../service.json';
import { StorageExportConfig } from '../../config';
import { PrismaService } from '../../database/prisma.service';
import { ExportsModule } from '../exports.module';
import { TestExportSettingsModule } from './test-export-settings';

@Module({
  imports: [ServicePlatformModule.forRoot({ manifest, database: PrismaService }), ExportsModule.forRoot([TestExportSettingsModule])],
})
class ExportsTestModule {}

export interface ExportsTestApp extends ServiceTestApp<StorageExportConfig> {
  prisma: PrismaService;
  jobs: JobsService;
  clock: ManualClock;
  outbox(): Promise<OutboxRow[]>;
  /** Publishes a SessionEnded through this app's outbox (relayed to Kafka, consumed back by its consumer); returns the event. */
  publishEnded(tenantId: string, data: SessionEnded, eventId?: string): Promise<CloudEvent>;
}

/**
 * storage-export's export pipeline in this process on a fresh database, with a manual clock (jobs run
 * when a test calls jobs.runDueJobs()), file URLs on 127.0.0.1 allowed, and SFTP destinations.
 */
export async function startExportsTestApp(env: Record<string, string> = {}, options: { replicaOf?: ExportsTestApp; clock?: ManualClock } = {}): Promise<ExportsTestApp> {
  const started = await startServiceTestApp({
    service: 'storage-export',
    module: ExportsTestModule,
    config: StorageExportConfig,
    env: {
      SECRETS_ENCRYPTION_KEY: options.replicaOf?.config.SECRETS_ENCRYPTION_KEY ?? SecretBox.generateKey(),
      OUTBOUND_HTTP_ALLOW: '127.0.0.1',
      JOBS_POLL_INTERVAL_MS: '0',
      PUBLIC_BASE_URL: 'http://127.0.0.1:1/',
      ...env,
    },
    replicaOf: options.replicaOf,
  });
  const clock = options.clock ?? new ManualClock('2026-03-02T14:12:02.000Z');
  // Clock is one global instance: every service (jobs, exports, outbox) reads the manual one from now on.
  const systemClock = started.app.get(Clock);
  systemClock.now = () => clock.now();
  const prisma = started.app.get(PrismaService);
  const publisher = started.app.get(OutboxPublisher);
  return {
    ...started,
    prisma,
    jobs: started.app.get(JobsService),
    clock,
    outbox: () => readOutbox(prisma, prisma.schema),
    async publishEnded(tenantId, data, eventId = randomUUID()) {
      const event = publisher.event({ id: eventId, type: ContactSessionEventTypes.ended, subject: data.sessionId, tenantId, data, time: clock.now() });
      await prisma.transaction((tx) => publisher.enqueue(tx, [{ topic: Topics.contactSession, key: data.sessionId, event }]));
      return event;
    },
  };
}
