import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '@switchboard/clock';
import { type Job, JobHandler, JobsService } from '@switchboard/jobs';
import { CrmSyncConfig } from '../config';
import { PrismaService } from '../database/prisma.service';
import { SessionDataRetentionRepository } from './session-data-retention.repository';
import { retentionSweepQueue, SWEEP_EVERY_MS, sweepKeyAt } from './retention-sweep.queue';

const DAY_MS = 24 * 60 * 60_000;

/**
 * Deletes stored session data older than CRM_SESSION_DATA_RETENTION_DAYS, hourly, as a durable job: each
 * sweep schedules the next one in its own transaction, and every start schedules the current hour's (a key
 * already scheduled is left as it is), so a sweep missed while the service was down runs when it is back,
 * and replicas never sweep the same hour twice.
 */
@Injectable()
export class RetentionSweepHandler implements OnApplicationBootstrap {
  private readonly logger = new Logger('SessionDataRetention');

  constructor(
    private readonly database: PrismaService,
    private readonly retention: SessionDataRetentionRepository,
    private readonly jobs: JobsService,
    private readonly config: CrmSyncConfig,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureScheduled();
  }

  /** The current hour's sweep, unless it is scheduled already. */
  async ensureScheduled(): Promise<void> {
    const now = this.clock.now();
    await this.jobs.schedule(this.database, retentionSweepQueue, [{ key: sweepKeyAt(now), payload: {}, runAt: now }]);
  }

  @JobHandler(retentionSweepQueue, { retry: { maxAttempts: 10, initialDelayMs: 60_000, maxDelayMs: SWEEP_EVERY_MS }, concurrency: 1 })
  async sweep(job: Job<Record<string, never>>): Promise<void> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - this.config.CRM_SESSION_DATA_RETENTION_DAYS * DAY_MS);
    // The next hour's sweep, at that hour's start.
    const next = new Date((Math.floor(Math.max(now.getTime(), job.runAt.getTime()) / SWEEP_EVERY_MS) + 1) * SWEEP_EVERY_MS);
    const counts = await this.database.transaction(async (tx) => {
      const deleted = await this.retention.deleteOlderThan(tx, cutoff);
      await this.jobs.schedule(tx, retentionSweepQueue, [{ key: sweepKeyAt(next), payload: {}, runAt: next }]);
      return deleted;
    });
    if (Object.values(counts).some((count) => count > 0)) this.logger.log({ msg: 'session data past its retention deleted', cutoff: cutoff.toISOString(), ...counts });
  }
}
