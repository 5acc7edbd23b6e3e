import { Injectable } from '@nestjs/common';
import { Clock } from '@switchboard/clock';
import { type Job, JobFailedPermanently, JobHandler, JobsService } from '@switchboard/jobs';
import { OutboxPublisher } from '@switchboard/messaging';
import { randomUUID } from 'node:crypto';
import { PrismaService } from '../database/prisma.service';
import { OptOutsRepository } from '../consent/opt-outs.repository';
import { QuietHours } from '../consent/quiet-hours.service';
import { ConfigurationLoader } from '../invoke/configuration-loader';
import { batchEvents, countResults, planBatch } from '../invoke/contact-batch';
import { MessageEvents } from '../messages/message-events';
import { MessagesRepository } from '../messages/messages.repository';
import { SendSignal } from '../sending/send-signal';
import { nextOccurrence } from './recurrence';
import { scheduledSendKey, scheduledSendQueue } from './scheduled-send.queue';
import { SchedulesRepository } from './schedules.repository';

type Payload = { scheduleId: string; occurrence: string };

/**
 * Fires one occurrence of a schedule (OM4.3). In one transaction: the schedule moves on (only if this
 * occurrence is still its next: a second try, another replica or a cancel makes this a no-op), the
 * run, its messages and their events are stored, and a recurrence's next occurrence becomes a job.
 */
@Injectable()
export class ScheduledSendHandler {
  private readonly events: MessageEvents;

  constructor(
    private readonly database: PrismaService,
    private readonly schedules: SchedulesRepository,
    private readonly configurations: ConfigurationLoader,
    private readonly messages: MessagesRepository,
    private readonly outbox: OutboxPublisher,
    private readonly signal: SendSignal,
    private readonly jobs: JobsService,
    private readonly optOuts: OptOutsRepository,
    private readonly quietHours: QuietHours,
    private readonly clock: Clock,
  ) {
    this.events = new MessageEvents(outbox);
  }

  @JobHandler(scheduledSendQueue, { retry: { maxAttempts: 10, initialDelayMs: 1_000, maxDelayMs: 300_000 }, concurrency: 2 })
  async run(job: Job<Payload>): Promise<void> {
    const tenantId = job.tenantId as string;
    const occurrence = new Date(job.payload.occurrence);
    const schedule = await this.schedules.find(tenantId, job.payload.scheduleId);
    if (!schedule || schedule.status !== 'active' || schedule.nextRunAt?.getTime() !== occurrence.getTime()) return;
    const configuration = await this.configurations.load(tenantId, schedule.configurationId);
    // A configuration in use by a schedule cannot be deleted (foreign key); this is only a safeguard.
    if (!configuration) throw new JobFailedPermanently(`configuration ${schedule.configurationId} no longer exists`);

    const now = this.clock.now();
    // A recurrence that fell behind (the service was down) fires once, late, then continues from now.
    const next = schedule.cron === null ? undefined : nextOccurrence(schedule.cron, schedule.timeZone, new Date(Math.max(now.getTime(), occurrence.getTime())));
    const requestId = randomUUID();
    const { batch, results } = await planBatch({ tenantId, requestId, at: now }, configuration, schedule.contacts as unknown[], this.optOuts.checkFor(tenantId), this.quietHours.holdUntil(now));
    const fired = await this.database.transaction(async (tx) => {
      if (!(await this.schedules.advance(tx, tenantId, schedule.id, occurrence, next, now))) return false;
      await this.schedules.recordRun(tx, { tenantId, scheduleId: schedule.id, occurrence, requestId, ...countResults(results), results: results as never, firedAt: now });
      if (batch.messages.length > 0) await this.messages.insertAccepted(batch, this.outbox.rows(batchEvents(this.events, batch)), tx);
      if (next) await this.jobs.schedule(tx, scheduledSendQueue, [{ key: scheduledSendKey(schedule.id, next), tenantId, payload: { scheduleId: schedule.id, occurrence: next.toISOString() }, runAt: next }]);
      return true;
    });
    if (fired) {
      this.outbox.relaySoon();
      this.signal.queued();
    }
  }
}
