import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CatalogEvent, Topics } from '@switchboard/contracts';
import { InboxContext } from '@switchboard/messaging';
import { CrmSyncTx } from '../database/prisma.service';
import { AgentEventLogRepository } from './agent-event-log.repository';

/**
 * Records every agent-adapter event crm-sync receives, under the event's own tenant. Runs inside the
 * consumer's inbox transaction, so a redelivered event is applied once.
 */
@Controller()
export class AgentEventsConsumer {
  constructor(private readonly log: AgentEventLogRepository) {}

  @EventPattern(Topics.agentEvents)
  async record(@Payload() event: CatalogEvent<typeof Topics.agentEvents>, @Ctx() { tx }: InboxContext<CrmSyncTx>): Promise<void> {
    await this.log.record(tx, {
      eventId: event.id,
      tenantId: event.tenantid,
      adapterEventType: event.data.adapterEventType,
      sessionId: event.data.sessionId,
      occurredAt: new Date(event.time),
    });
  }
}
