import { Injectable, NotFoundException } from '@nestjs/common';
import { DialOutcome } from '@switchboard/contracts';
import { OutboxPublisher } from '@switchboard/messaging';
import { Clock } from '@switchboard/clock';
import { RetryableOutcome } from '../configurations/configuration.schema';
import { PrismaService, ProactiveDeliveryTx } from '../database/prisma.service';
import { DeliveryEvents } from '../deliveries/delivery-events';
import { intervalsFromJson } from '../deliveries/delivery.mapper';
import type { DeliveryAttempt } from '../generated/prisma/client';
import { DialOutcomeReport, DialOutcomeSink } from '../voice-runtime/voice-runtime';
import { decideAfterOutcome } from './delivery-rules';
import { DispatchRepository, type DeliveryWithConfiguration } from './dispatch.repository';

/**
 * Records an attempt's outcome and moves its delivery on (PD4.4), with the events of PD4.6 in the
 * same transaction. Reports are idempotent: a second report for an attempt changes nothing.
 */
@Injectable()
export class OutcomesService implements DialOutcomeSink {
  private readonly events: DeliveryEvents;

  constructor(
    private readonly database: PrismaService,
    private readonly dispatch: DispatchRepository,
    private readonly outbox: OutboxPublisher,
    private readonly clock: Clock,
  ) {
    this.events = new DeliveryEvents(outbox);
  }

  async report({ attemptId, outcome, providerCallId, occurredAt }: DialOutcomeReport): Promise<void> {
    await this.database.transaction(async (tx) => {
      const attempt = await this.dispatch.lockAttempt(tx, attemptId);
      if (!attempt) throw new NotFoundException({ code: 'AttemptNotFound', message: `No dial attempt ${attemptId}` });
      if (attempt.outcome) return;
      const delivery = await this.dispatch.deliveryWithConfiguration(tx, attempt.deliveryId);
      // Retries are scheduled from our clock; the runtime's own timestamp only records when the call ended.
      const now = this.clock.now();
      await this.apply(tx, delivery, attempt, outcome, now, { providerCallId, endedAt: occurredAt ?? now });
    });
  }

  /** Also used by the dispatcher, inside its claim transaction, when an attempt is given up. */
  async apply(
    tx: ProactiveDeliveryTx,
    delivery: DeliveryWithConfiguration,
    attempt: DeliveryAttempt,
    outcome: DialOutcome,
    now: Date,
    { providerCallId, endedAt = now }: { providerCallId?: string; endedAt?: Date } = {},
  ): Promise<void> {
    await this.dispatch.recordOutcome(tx, attempt, outcome, endedAt, providerCallId);
    // A late report for a cancelled delivery, or for an attempt that is no longer current, is only recorded.
    if (delivery.status !== 'Dialing' || delivery.attempts !== attempt.attemptNumber) return;

    const decision = decideAfterOutcome({
      outcome,
      attemptsMade: delivery.attempts,
      policy: {
        maxAttempts: delivery.configuration.maxAttempts,
        retryIntervalsSeconds: delivery.configuration.retryIntervalsSeconds as Record<RetryableOutcome, number>,
      },
      permitted: intervalsFromJson(delivery.permittedIntervals),
      now,
    });
    if (decision.status === 'Retrying') {
      await this.dispatch.retryAt(tx, delivery.id, outcome, decision.nextAttemptAt);
      await this.outbox.enqueue(tx, [this.events.attempted(delivery, attempt.attemptNumber, outcome, decision.nextAttemptAt)]);
      return;
    }
    await this.dispatch.close(tx, delivery.id, { status: decision.status, reason: decision.reason, at: now, lastOutcome: outcome });
    await this.outbox.enqueue(tx, [
      this.events.attempted(delivery, attempt.attemptNumber, outcome),
      this.events.closed(delivery, decision.status, delivery.attempts, decision.reason),
    ]);
  }
}
