import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CatalogEvent, Topics } from '@switchboard/contracts';
import { InboxBatchContext } from '@switchboard/messaging';
import { CrmSyncTx } from '../database/prisma.service';
import { SessionFlowPlanner } from '../session-flows/session-flow-planner';
import { type TenantFlowConfig, TenantFlowConfigLoader } from '../session-flows/tenant-flow-config';
import { AgentEventLogRepository } from './agent-event-log.repository';
import { agentOfEvent } from './agent-of-event';

/**
 * Records every agent-adapter event crm-sync receives, under the event's own tenant, and hands the agents
 * that take calls and chats to the session flows (CS4). Runs inside the
 * consumer's inbox transaction, so a redelivered event is applied once; a batch handler, because the
 * log is written for every event the contact center reports (one insert per batch, not per event).
 */
@Controller()
export class AgentEventsConsumer {
  constructor(
    private readonly log: AgentEventLogRepository,
    private readonly flows: SessionFlowPlanner,
    private readonly flowConfig: TenantFlowConfigLoader,
  ) {}

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
    await this.assignAgents(tx, events);
  }

  /** CS4: the agents the events put on sessions drive those sessions' CRM flows, in the events' order. */
  private async assignAgents(tx: CrmSyncTx, events: CatalogEvent<typeof Topics.agentEvents>[]): Promise<void> {
    const configs = new Map<string, Promise<TenantFlowConfig>>();
    for (const event of events) {
      const agent = agentOfEvent(event.data);
      if (!agent) continue;
      let config = configs.get(event.tenantid);
      if (!config) configs.set(event.tenantid, (config = this.flowConfig.load(event.tenantid)));
      await this.flows.agentTookSession(tx, event.tenantid, event.data.sessionId, agent, await config);
    }
  }
}
