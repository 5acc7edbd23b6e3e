import { DeliveryEventTypes, DeliveryStatus, DialOutcome, Topics } from '@switchboard/contracts';
import { OutboxEntry, OutboxPublisher } from '@switchboard/messaging';
import type { Delivery } from '../generated/prisma/client';

type DeliveryRef = Pick<Delivery, 'id' | 'tenantId' | 'configurationId' | 'contactId'>;

const CLOSING_EVENT: Partial<Record<DeliveryStatus, string>> = {
  Completed: DeliveryEventTypes.completed,
  Failed: DeliveryEventTypes.failed,
  Expired: DeliveryEventTypes.expired,
  Cancelled: DeliveryEventTypes.cancelled,
  Blocked: DeliveryEventTypes.blocked,
};

/** Builds the `proactive.delivery.v1` events of PD4.6, keyed by delivery so they stay in order. */
export class DeliveryEvents {
  constructor(private readonly outbox: OutboxPublisher) {}

  private entry(delivery: DeliveryRef, type: string, data: object): OutboxEntry {
    const ref = { deliveryId: delivery.id, configurationId: delivery.configurationId, contactId: delivery.contactId };
    const event = this.outbox.event({ type, subject: delivery.id, tenantId: delivery.tenantId, data: { ...ref, ...data } });
    return { topic: Topics.proactiveDelivery, event, key: delivery.id };
  }

  requested(delivery: DeliveryRef & Pick<Delivery, 'phoneNumber'>, windows: readonly { start: Date; end: Date }[], inputAttributes: Record<string, string>): OutboxEntry {
    return this.entry(delivery, DeliveryEventTypes.requested, {
      phoneNumber: delivery.phoneNumber,
      windows: windows.map((w) => ({ start: w.start.toISOString(), end: w.end.toISOString() })),
      inputAttributes,
    });
  }

  scheduled(delivery: DeliveryRef, nextAttemptAt: Date): OutboxEntry {
    return this.entry(delivery, DeliveryEventTypes.scheduled, { nextAttemptAt: nextAttemptAt.toISOString() });
  }

  attempted(delivery: DeliveryRef, attempt: number, outcome: DialOutcome, nextAttemptAt?: Date): OutboxEntry {
    return this.entry(delivery, DeliveryEventTypes.attempted, { attempt, outcome, ...(nextAttemptAt && { nextAttemptAt: nextAttemptAt.toISOString() }) });
  }

  closed(delivery: DeliveryRef, status: DeliveryStatus, attempts: number, reason?: string): OutboxEntry {
    const type = CLOSING_EVENT[status];
    if (!type) throw new Error(`${status} does not close a delivery`);
    return this.entry(delivery, type, { status, attempts, ...(reason && { reason: reason.slice(0, 1_000) }) });
  }
}

