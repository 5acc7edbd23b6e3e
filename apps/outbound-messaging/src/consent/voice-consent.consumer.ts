import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Clock } from '@switchboard/clock';
import { type CatalogEvent, Topics, VoiceConsentEventTypes } from '@switchboard/contracts';
import { type InboxContext, OutboxPublisher } from '@switchboard/messaging';
import type { OutboundMessagingTx } from '../database/prisma.service';
import { MessageEvents } from '../messages/message-events';
import { OptOutsRepository } from './opt-outs.repository';
import { voiceListingReason, VoiceDoNotCallRepository } from './voice-do-not-call.repository';

type VoiceConsentEvent<T extends (typeof VoiceConsentEventTypes)[keyof typeof VoiceConsentEventTypes]> = CatalogEvent<typeof Topics.voiceConsent, T>;

/**
 * One consent across channels, the other way round: a number an administrator puts on proactive-delivery's
 * do-not-call list gets no messages from this tenant either (the invoke API, rules and schedules skip it with the
 * reason, and what is queued for it is skipped now) until the entry is removed or expires. Applied in the inbox
 * transaction, so a redelivered event changes nothing twice; one number's events arrive in order (keyed by it).
 */
@Controller()
export class VoiceConsentConsumer {
  private readonly messageEvents: MessageEvents;

  constructor(
    private readonly voice: VoiceDoNotCallRepository,
    private readonly optOuts: OptOutsRepository,
    private readonly outbox: OutboxPublisher,
    private readonly clock: Clock,
  ) {
    this.messageEvents = new MessageEvents(outbox);
  }

  @EventPattern({ topic: Topics.voiceConsent, type: VoiceConsentEventTypes.listed })
  async onListed(@Payload() event: VoiceConsentEvent<typeof VoiceConsentEventTypes.listed>, @Ctx() { tx }: InboxContext<OutboundMessagingTx>): Promise<void> {
    const { phoneNumber, reason, expiresAt, occurredAt } = event.data;
    const entry = { tenantId: event.tenantid, phoneNumber, reason, expiresAt: expiresAt === null ? null : new Date(expiresAt), listedAt: new Date(occurredAt) };
    const now = this.clock.now();
    if (!(await this.voice.list(tx, entry)) || (entry.expiresAt && entry.expiresAt <= now)) return;
    const why = voiceListingReason(entry);
    const skipped = await this.optOuts.skipQueued(tx, event.tenantid, phoneNumber, why, now);
    await this.outbox.enqueue(tx, skipped.flatMap((message) => this.messageEvents.skipped(message, why, now)));
  }

  @EventPattern({ topic: Topics.voiceConsent, type: VoiceConsentEventTypes.unlisted })
  async onUnlisted(@Payload() event: VoiceConsentEvent<typeof VoiceConsentEventTypes.unlisted>, @Ctx() { tx }: InboxContext<OutboundMessagingTx>): Promise<void> {
    await this.voice.unlist(tx, event.tenantid, event.data.phoneNumber, new Date(event.data.occurredAt));
  }
}
