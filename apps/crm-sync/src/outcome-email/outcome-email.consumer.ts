import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { type CatalogEvent, ContactSessionEventTypes, Topics } from '@switchboard/contracts';
import { InboxContext } from '@switchboard/messaging';
import type { CrmSyncTx } from '../database/prisma.service';
import { OutcomeEmailScheduler } from './outcome-email.scheduler';

/**
 * contact.session.v1 SessionEnded → the outcome e-mail's job, in the inbox transaction (redelivery: once).
 * One handler per event type per service: a service whose other feature also handles SessionEnded calls
 * OutcomeEmailScheduler from that one handler instead of this consumer.
 */
@Controller()
export class OutcomeEmailConsumer {
  constructor(private readonly scheduler: OutcomeEmailScheduler) {}

  @EventPattern({ topic: Topics.contactSession, type: ContactSessionEventTypes.ended })
  async onEnded(@Payload() event: CatalogEvent<typeof Topics.contactSession, typeof ContactSessionEventTypes.ended>, @Ctx() { tx }: InboxContext<CrmSyncTx>): Promise<void> {
    await this.scheduler.onSessionEnded(tx, event.tenantid, event.data);
  }
}
