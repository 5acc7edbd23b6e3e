import { OutboundMessageEventTypes, Topics } from '@switchboard/contracts';
import type { OutboxEntry, OutboxPublisher } from '@switchboard/messaging';

/** What every event of a message names. */
export interface MessageRef {
  id: string;
  tenantId: string;
  /** Null for a HELP answer, which is no configuration's message and has no events. */
  configurationId: string | null;
  channelId: string;
  channelType: string;
  toNumber: string;
}

export interface TimelineActivity {
  entityRelationshipName: string;
  customerName: string;
  caseName: string;
  body: string;
}

/**
 * Builds the `outbound.message.v1` events of OM5.4, keyed by message id so each message's events stay in order.
 * Each answers a list: empty for a HELP answer (OM5.2), whose tracking stays in the message row, because the
 * topic's events are those of a configuration's messages (they name it).
 */
export class MessageEvents {
  constructor(private readonly outbox: OutboxPublisher) {}

  private entry(message: MessageRef, type: string, data: object): OutboxEntry[] {
    if (message.configurationId === null) return [];
    const ref = { messageId: message.id, configurationId: message.configurationId, channelId: message.channelId, channel: message.channelType, to: message.toNumber };
    const event = this.outbox.event({ type, subject: message.id, tenantId: message.tenantId, data: { ...ref, ...data } });
    return [{ topic: Topics.outboundMessage, event, key: message.id }];
  }

  queued(message: MessageRef, requestId: string, locale: string, at: Date, timeline?: TimelineActivity): OutboxEntry[] {
    return this.entry(message, OutboundMessageEventTypes.queued, { requestId, locale, queuedAt: at.toISOString(), ...(timeline && { timeline }) });
  }

  skipped(message: MessageRef, reason: string, at: Date): OutboxEntry[] {
    return this.entry(message, OutboundMessageEventTypes.skipped, { reason: reason.slice(0, 1_000), skippedAt: at.toISOString() });
  }

  sent(message: MessageRef, providerMessageId: string, at: Date): OutboxEntry[] {
    return this.entry(message, OutboundMessageEventTypes.sent, { providerMessageId, sentAt: at.toISOString() });
  }

  delivered(message: MessageRef, providerMessageId: string, at: Date): OutboxEntry[] {
    return this.entry(message, OutboundMessageEventTypes.delivered, { providerMessageId, deliveredAt: at.toISOString() });
  }

  failed(message: MessageRef, failure: { providerMessageId?: string | null; errorCode?: string | null; errorMessage: string }, at: Date): OutboxEntry[] {
    return this.entry(message, OutboundMessageEventTypes.failed, {
      ...(failure.providerMessageId && { providerMessageId: failure.providerMessageId }),
      ...(failure.errorCode && { errorCode: failure.errorCode.slice(0, 100) }),
      errorMessage: failure.errorMessage.slice(0, 1_000),
      failedAt: at.toISOString(),
    });
  }
}
