import { Injectable } from '@nestjs/common';
import { OutboxPublisher } from '@switchboard/messaging';
import { PrismaService } from '../database/prisma.service';
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
      const events =
        status === 'sent'
          ? this.events.sent(message, report.providerMessageId, report.occurredAt)
          : status === 'delivered'
            ? this.events.delivered(message, report.providerMessageId, report.occurredAt)
            : this.events.failed(message, { providerMessageId: report.providerMessageId, errorCode: report.errorCode, errorMessage: report.errorMessage ?? 'the provider reported the message undelivered' }, report.occurredAt);
      await this.outbox.enqueue(tx, events);
      return 'applied';
    });
  }
}
