import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CatalogEvent, ContactSessionEventTypes, Topics } from '@switchboard/contracts';
import { InboxContext } from '@switchboard/messaging';
import { CrmSyncTx } from '../database/prisma.service';
import { SessionFlowPlanner } from './session-flow-planner';

type SessionEvent<T extends (typeof ContactSessionEventTypes)[keyof typeof ContactSessionEventTypes]> = CatalogEvent<typeof Topics.contactSession, T>;

/**
 * Drives the CRM session flows (CS4) from contact.session.v1. Each handler runs in the inbox
 * transaction, so the flow's state, its scheduled steps and its pops commit together with the event's
 * inbox row: a redelivered event is skipped, and a crash before the commit leaves nothing half done.
 */
@Controller()
export class SessionFlowConsumer {
  constructor(private readonly planner: SessionFlowPlanner) {}

  @EventPattern({ topic: Topics.contactSession, type: ContactSessionEventTypes.started })
  async onStarted(@Payload() event: SessionEvent<typeof ContactSessionEventTypes.started>, @Ctx() { tx }: InboxContext<CrmSyncTx>): Promise<void> {
    await this.planner.started(tx, event.tenantid, event.data);
  }

  @EventPattern({ topic: Topics.contactSession, type: ContactSessionEventTypes.updated })
  async onUpdated(@Payload() event: SessionEvent<typeof ContactSessionEventTypes.updated>, @Ctx() { tx }: InboxContext<CrmSyncTx>): Promise<void> {
    await this.planner.updated(tx, event.tenantid, event.data);
  }

  @EventPattern({ topic: Topics.contactSession, type: ContactSessionEventTypes.ended })
  async onEnded(@Payload() event: SessionEvent<typeof ContactSessionEventTypes.ended>, @Ctx() { tx }: InboxContext<CrmSyncTx>): Promise<void> {
    await this.planner.ended(tx, event.tenantid, event.data);
  }
}
