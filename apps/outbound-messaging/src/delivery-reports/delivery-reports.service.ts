import { Injectable } from '@nestjs/common';
import { OutboxPublisher } from '@switchboard/messaging';
import { type OutboundMessagingTx, PrismaService } from '../database/prisma.service';
import { MessageEvents } from '../messages/message-events';
import type { ProviderDeliveryReport } from '../providers/messaging-provider';
import { FROM_STATUSES, statusOfReport } from './report-transitions';

export type ReportOutcome = 'applied' | 'unchanged' | 'unknown';

/** Applies providers' verified delivery reports to message tracking (OM3.3), with their events (OM5.4). */
@Injectable()
export class DeliveryReportsService {
  private readonly events: MessageEvents;

  constructor(
    private readonly database: PrismaService,
    private readonly outbox: OutboxPublisher,
  ) {
    this.events = new MessageEvents(outbox);
  }

  /** `messageId` when the report names our message (its callback URL), else found by the provider's id on the channel. */
  async apply(channelId: string, report: ProviderDeliveryReport, messageId?: string): Promise<ReportOutcome> {
    const status = statusOfReport(report.status);
    return this.database.transaction(async (tx) => {
      const message = await tx.outboundMessage.findFirst({ where: messageId ? { id: messageId, channelId } : { channelId, providerMessageId: report.providerMessageId } });
      if (!message || (message.providerMessageId !== null && message.providerMessageId !== report.providerMessageId)) return 'unknown';
      const overtook = status !== 'sent' && OVERTAKEN.has(message.status) && (await this.recordSentFirst(tx, message.id, report));
      const { count } = await tx.outboundMessage.updateMany({
        where: { id: message.id, status: { in: [...FROM_STATUSES[status]] } },
        data: {
          status,
          providerMessageId: report.providerMessageId,
          leaseExpiresAt: null,
          dueAt: null,
          updatedAt: report.occurredAt,
          ...(status === 'sent' && { sentAt: report.occurredAt }),
          ...(status === 'delivered' && { deliveredAt: report.occurredAt }),
          ...(status === 'failed' && { failedAt: report.occurredAt, errorCode: report.errorCode ?? null, errorMessage: report.errorMessage ?? 'the provider reported the message undelivered' }),
        },
      });
      if (count === 0) return 'unchanged';
      const reported =
        status === 'sent'
          ? this.events.sent(message, report.providerMessageId, report.occurredAt)
          : status === 'delivered'
            ? this.events.delivered(message, report.providerMessageId, report.occurredAt)
            : this.events.failed(message, { providerMessageId: report.providerMessageId, errorCode: report.errorCode, errorMessage: report.errorMessage ?? 'the provider reported the message undelivered' }, report.occurredAt);
      await this.outbox.enqueue(tx, overtook ? [...this.events.sent(message, report.providerMessageId, report.occurredAt), ...reported] : reported);
      return 'applied';
    });
  }

  /**
   * A final report that overtakes the sender's own record of the send (the message still queued or sending): the
   * provider accepted the message, so it is recorded sent first, with its MessageSent event, as the sender would have;
   * the sender's late outcome then no longer applies. Conditional on the status, so exactly one of the two records it.
   */
  private async recordSentFirst(tx: OutboundMessagingTx, id: string, report: ProviderDeliveryReport): Promise<boolean> {
    const { count } = await tx.outboundMessage.updateMany({
      where: { id, status: { in: [...OVERTAKEN] } },
      data: { status: 'sent', providerMessageId: report.providerMessageId, leaseExpiresAt: null, dueAt: null, sentAt: report.occurredAt, updatedAt: report.occurredAt },
    });
    return count > 0;
  }
}

/** The statuses in which a message's send is not recorded yet. */
const OVERTAKEN: ReadonlySet<string> = new Set(['queued', 'sending']);
