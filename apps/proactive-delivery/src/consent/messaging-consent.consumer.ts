import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { type CatalogEvent, MessagingConsentEventTypes, Topics } from '@switchboard/contracts';
import type { InboxContext } from '@switchboard/messaging';
import type { ProactiveDeliveryTx } from '../database/prisma.service';
import { DoNotCallRepository } from './do-not-call.repository';

type ConsentEvent<T extends (typeof MessagingConsentEventTypes)[keyof typeof MessagingConsentEventTypes]> = CatalogEvent<typeof Topics.messagingConsent, T>;

/**
 * One consent across channels: a customer who texts STOP (or an equivalent) to the tenant is not called either,
 * until they opt back in (START). Applied in the inbox transaction, so a redelivered event changes nothing twice;
 * events of one number arrive in order (they are keyed by it).
 */
@Controller()
export class MessagingConsentConsumer {
  constructor(private readonly entries: DoNotCallRepository) {}

  @EventPattern({ topic: Topics.messagingConsent, type: MessagingConsentEventTypes.withdrawn })
  async onWithdrawn(@Payload() event: ConsentEvent<typeof MessagingConsentEventTypes.withdrawn>, @Ctx() { tx }: InboxContext<ProactiveDeliveryTx>): Promise<void> {
    const { phoneNumber, channel, keyword, occurredAt } = event.data;
    const reason = `The customer opted out by ${channel === 'sms' ? 'SMS' : 'WhatsApp'} keyword ${keyword}`;
    await this.entries.listByConsent(tx, event.tenantid, phoneNumber, reason, new Date(occurredAt));
  }

  @EventPattern({ topic: Topics.messagingConsent, type: MessagingConsentEventTypes.granted })
  async onGranted(@Payload() event: ConsentEvent<typeof MessagingConsentEventTypes.granted>, @Ctx() { tx }: InboxContext<ProactiveDeliveryTx>): Promise<void> {
    await this.entries.unlistByConsent(tx, event.tenantid, event.data.phoneNumber, new Date(event.data.occurredAt));
  }
}
