import { Injectable } from '@nestjs/common';
import { Clock } from '@switchboard/clock';
import { CrmRecordPopEventTypes, Topics } from '@switchboard/contracts';
import { JobsService } from '@switchboard/jobs';
import { OutboxPublisher } from '@switchboard/messaging';
import type { CrmSyncTx } from '../database/prisma.service';
import { poppedMarker, popsDue } from './flow-pops';
import { type SessionFlow, SessionFlowRepository } from './session-flow.repository';
import { type SessionStepPayload, sessionStepQueue, stepKey } from './session-step-queue';
import type { TenantFlowConfig } from './tenant-flow-config';

/** A step to schedule: its name within the session (the job key's tail) and what it does. */
export interface StepRequest {
  name: string;
  payload: Omit<SessionStepPayload, 'sessionId'>;
  runAt?: Date;
}

/** The effects the consumer and the steps share, always inside the caller's transaction. */
@Injectable()
export class SessionFlowEffects {
  constructor(
    private readonly flows: SessionFlowRepository,
    private readonly outbox: OutboxPublisher,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
  ) {}

  /** Schedules steps; a step already scheduled for the session (a redelivered event) is left as it is. */
  async schedule(tx: CrmSyncTx, flow: Pick<SessionFlow, 'tenantId' | 'sessionId'>, steps: StepRequest[]): Promise<void> {
    const now = this.clock.now();
    await this.jobs.schedule(
      tx,
      sessionStepQueue,
      steps.map((step) => ({ key: stepKey(flow.tenantId, flow.sessionId, step.name), tenantId: flow.tenantId, payload: { sessionId: flow.sessionId, ...step.payload }, runAt: step.runAt ?? now })),
    );
  }

  /** Publishes the CRM_Record_Pops the session's agent is owed (CS4.1, CS5), each once, and notes them on the flow. */
  async publishPops(tx: CrmSyncTx, flow: SessionFlow, config: TenantFlowConfig): Promise<SessionFlow> {
    const pops = popsDue(flow, config.settings.lookupUrls, config.crm);
    if (pops.length === 0) return flow;
    const entries = pops.map((pop) => ({
      topic: Topics.crmRecordPops,
      key: pop.agentId,
      event: this.outbox.event({
        type: CrmRecordPopEventTypes.recordPop,
        subject: pop.agentId,
        tenantId: flow.tenantId,
        data: { agentId: pop.agentId, sessionId: flow.sessionId, recordUrl: pop.url, recordType: pop.recordType, ...(pop.recordId ? { recordId: pop.recordId } : {}) },
      }),
    }));
    await this.outbox.enqueue(tx, entries);
    const personalIds = entries.filter((_, index) => pops[index]?.personal).map((entry) => entry.event.id);
    return this.flows.update(tx, flow, {
      poppedAgentIds: [...flow.poppedAgentIds, ...pops.map(poppedMarker)],
      piiPopEventIds: [...flow.piiPopEventIds, ...personalIds],
    });
  }
}
