import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CatalogEvent, Topics } from '@switchboard/contracts';
import { InboxBatchContext } from '@switchboard/messaging';
import { CrmSyncTx } from '../database/prisma.service';
import { AgentEventLogRepository } from './agent-event-log.repository';

/**
 * Records every agent-adapter event crm-sync receives, under the event's own tenant. Runs inside the
 * consumer's inbox transaction, so a redelivered event is applied once; a batch handler, because the
 * log is written for every event the contact center reports (one insert per batch, not per event).
 */
@Controller()
export class AgentEventsConsumer {
  constructor(private readonly log: AgentEventLogRepository) {}

  @EventPattern(Topics.agentEvents, { batch: true })
  async record(@Payload() events: CatalogEvent<typeof Topics.agentEvents>[], @Ctx() { tx }: InboxBatchContext<CrmSyncTx>): Promise<void> {
    await this.log.recordAll(
      tx,
      events.map((event) => ({
        eventId: event.id,
        tenantId: event.tenantid,
        adapterEventType: event.data.adapterEventType,
        sessionId: event.data.sessionId,
        occurredAt: new Date(event.time),
      })),
    );
  }
}
