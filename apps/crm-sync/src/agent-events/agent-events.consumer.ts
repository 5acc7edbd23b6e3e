import { Injectable } from '@nestjs/common';
import { AgentEventData, CloudEvent, Topics } from '@switchboard/contracts';
import { EventSubscriptions } from '@switchboard/messaging';
import { SqlExecutor } from '@switchboard/persistence';
import { CrmSyncTx } from '../database/prisma.service';

/**
 * Records every agent-adapter event crm-sync receives, under the event's own tenant. Runs inside the
 * consumer's inbox transaction, so a redelivered event is applied once.
 */
@Injectable()
export class AgentEventsConsumer {
  constructor(subscriptions: EventSubscriptions) {
    subscriptions.on(Topics.agentEvents, (event, tx) => this.record(event as CloudEvent<string, AgentEventData>, tx));
  }

  private async record(event: CloudEvent<string, AgentEventData>, tx: SqlExecutor): Promise<void> {
    await (tx as CrmSyncTx).agentEventLog.create({
      data: {
        eventId: event.id,
        tenantId: event.tenantid,
        adapterEventType: event.data.adapterEventType,
        sessionId: event.data.sessionId,
        occurredAt: new Date(event.time),
      },
    });
  }
}
