import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CatalogEvent, ContactSessionEventTypes, Topics } from '@switchboard/contracts';
import { InboxContext } from '@switchboard/messaging';
import { CrmSyncTx } from '../database/prisma.service';
import { OutcomeEmailScheduler } from '../outcome-email/outcome-email.scheduler';
import { SessionFlowPlanner } from '../session-flows/session-flow-planner';

type SessionEvent<T extends (typeof ContactSessionEventTypes)[keyof typeof ContactSessionEventTypes]> = CatalogEvent<typeof Topics.contactSession, T>;

/**
 * contact.session.v1 into crm-sync: the CRM session flows (CS4) and the outcome e-mail (CS6). One handler per
 * event type (the transport refuses two for one pattern), each in the inbox transaction, so the flow's state,
 * its scheduled steps and pops, and the e-mail's job commit together with the event's inbox row: a
 * redelivered event is skipped, and a crash before the commit leaves nothing half done.
 */
@Controller()
export class ContactSessionConsumer {
  constructor(
    private readonly flows: SessionFlowPlanner,
    private readonly outcomeEmails: OutcomeEmailScheduler,
  ) {}

  @EventPattern({ topic: Topics.contactSession, type: ContactSessionEventTypes.started })
  async onStarted(@Payload() event: SessionEvent<typeof ContactSessionEventTypes.started>, @Ctx() { tx }: InboxContext<CrmSyncTx>): Promise<void> {
    await this.flows.started(tx, event.tenantid, event.data);
  }

  @EventPattern({ topic: Topics.contactSession, type: ContactSessionEventTypes.updated })
  async onUpdated(@Payload() event: SessionEvent<typeof ContactSessionEventTypes.updated>, @Ctx() { tx }: InboxContext<CrmSyncTx>): Promise<void> {
    await this.flows.updated(tx, event.tenantid, event.data);
  }

  @EventPattern({ topic: Topics.contactSession, type: ContactSessionEventTypes.ended })
  async onEnded(@Payload() event: SessionEvent<typeof ContactSessionEventTypes.ended>, @Ctx() { tx }: InboxContext<CrmSyncTx>): Promise<void> {
    await this.flows.ended(tx, event.tenantid, event.data);
    await this.outcomeEmails.onSessionEnded(tx, event.tenantid, event.data);
  }
}
