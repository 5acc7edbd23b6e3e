import { Injectable } from '@nestjs/common';
import { InboundConversationEventTypes, MessagingConsentEventTypes, Topics } from '@switchboard/contracts';
import { type OutboxEntry, OutboxPublisher } from '@switchboard/messaging';
import { randomUUID } from 'node:crypto';
import type { HelpAnsweringChannel } from '../consent/help-answer';
import { matchKeyword } from '../consent/keywords';
import { OptOutsRepository } from '../consent/opt-outs.repository';
import { PrismaService } from '../database/prisma.service';
import { MessageEvents } from '../messages/message-events';
import type { ProviderInboundMessage } from '../providers/messaging-provider';
import { SendSignal } from '../sending/send-signal';
import { HelpAnswersRepository } from './help-answers.repository';
import { RepliesRepository } from './replies.repository';

export interface ReceivingChannel extends HelpAnsweringChannel {
  id: string;
  tenantId: string;
  channelType: string;
}

export type ReplyOutcome = { outcome: 'recorded' | 'duplicate'; inboundMessageId?: string; keyword?: string; helpAnswerId?: string };

/**
 * A customer's reply (OM5.1, OM5.2), in one transaction: stored (once per provider message id), linked
 * to the message it answers, published on `conversation.inbound.v1`; an opt-out keyword puts the number
 * on the tenant's suppression list and an opt-in takes it off, each published on `messaging.consent.v1`;
 * a help keyword is answered from the same channel (queued once, since the reply is stored once).
 */
@Injectable()
export class RepliesService {
  private readonly messageEvents: MessageEvents;

  constructor(
    private readonly database: PrismaService,
    private readonly replies: RepliesRepository,
    private readonly optOuts: OptOutsRepository,
    private readonly helpAnswers: HelpAnswersRepository,
    private readonly outbox: OutboxPublisher,
    private readonly signal: SendSignal,
  ) {
    this.messageEvents = new MessageEvents(outbox);
  }

  async receive(channel: ReceivingChannel, inbound: ProviderInboundMessage): Promise<ReplyOutcome> {
    const id = randomUUID();
    const keyword = matchKeyword(inbound.body);
    const result = await this.database.transaction(async (tx) => {
      const answered = await this.replies.answered(tx, channel.tenantId, channel.id, inbound.from);
      const stored = await this.replies.insert(tx, {
        id,
        tenantId: channel.tenantId,
        channelId: channel.id,
        channelType: inbound.channel,
        providerMessageId: inbound.providerMessageId,
        fromNumber: inbound.from,
        toSender: inbound.to,
        body: inbound.body,
        inReplyTo: answered?.id ?? null,
        keywordAction: keyword?.action ?? null,
        keyword: keyword?.keyword ?? null,
        receivedAt: inbound.receivedAt,
      });
      if (!stored) return { outcome: 'duplicate' as const };
      const entries: OutboxEntry[] = [this.inboundEvent(channel, inbound, id, answered, keyword)];
      const consent = { tenantId: channel.tenantId, phoneNumber: inbound.from, keyword: keyword?.keyword ?? '', inboundMessageId: id, at: inbound.receivedAt };
      if (keyword?.action === 'opt_out' && (await this.optOuts.optOut(tx, { tenantId: channel.tenantId, phoneNumber: inbound.from, keyword: keyword.keyword, inboundMessageId: id, optedOutAt: inbound.receivedAt }))) {
        entries.push(this.consentEvent(MessagingConsentEventTypes.withdrawn, consent, inbound.channel));
        const reason = `${inbound.from} opted out (replied ${keyword.keyword}) before this message was sent`;
        for (const skipped of await this.optOuts.skipQueued(tx, channel.tenantId, inbound.from, reason, inbound.receivedAt)) entries.push(...this.messageEvents.skipped(skipped, reason, inbound.receivedAt));
      }
      if (keyword?.action === 'opt_in' && (await this.optOuts.optIn(tx, channel.tenantId, inbound.from))) {
        entries.push(this.consentEvent(MessagingConsentEventTypes.granted, consent, inbound.channel));
      }
      const helpAnswerId = keyword?.action === 'help' ? await this.helpAnswers.queue(tx, channel, keyword, { tenantId: channel.tenantId, channelId: channel.id, channelType: channel.channelType, customer: inbound.from, inboundMessageId: id, at: inbound.receivedAt }) : undefined;
      await this.outbox.enqueue(tx, entries);
      return { outcome: 'recorded' as const, inboundMessageId: id, ...(keyword && { keyword: keyword.keyword }), ...(helpAnswerId && { helpAnswerId }) };
    });
    this.outbox.relaySoon();
    if ('helpAnswerId' in result) this.signal.queued();
    return result;
  }

  private inboundEvent(channel: ReceivingChannel, inbound: ProviderInboundMessage, id: string, answered: { id: string; configurationId: string } | null, keyword: ReturnType<typeof matchKeyword>): OutboxEntry {
    const data = {
      inboundMessageId: id,
      channel: inbound.channel,
      from: inbound.from,
      to: inbound.to,
      channelId: channel.id,
      body: inbound.body.slice(0, 10_000),
      providerMessageId: inbound.providerMessageId,
      ...(answered && { inReplyTo: { messageId: answered.id, configurationId: answered.configurationId } }),
      ...(keyword && { keyword: { action: keyword.action, keyword: keyword.keyword } }),
      receivedAt: inbound.receivedAt.toISOString(),
    };
    const event = this.outbox.event({ type: InboundConversationEventTypes.received, subject: id, tenantId: channel.tenantId, data });
    return { topic: Topics.conversationInbound, event, key: inbound.from };
  }

  private consentEvent(type: string, change: { tenantId: string; phoneNumber: string; keyword: string; inboundMessageId: string; at: Date }, channel: string): OutboxEntry {
    const data = { phoneNumber: change.phoneNumber, channel, keyword: change.keyword, inboundMessageId: change.inboundMessageId, occurredAt: change.at.toISOString() };
    const event = this.outbox.event({ type, subject: change.phoneNumber, tenantId: change.tenantId, data });
    return { topic: Topics.messagingConsent, event, key: change.phoneNumber };
  }
}
