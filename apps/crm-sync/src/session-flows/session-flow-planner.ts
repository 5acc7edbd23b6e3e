import { Injectable } from '@nestjs/common';
import type { SessionEnded, SessionStarted, SessionUpdated } from '@switchboard/contracts';
import type { SessionAgent } from '../agent-events/agent-of-event';
import type { CrmSyncTx } from '../database/prisma.service';
import { endComment, type RecordComment, updateComments } from './record-comments';
import { SessionFlowEffects, type StepRequest } from './session-flow-effects';
import { type SessionFlow, SessionFlowRepository } from './session-flow.repository';
import { subjectOf, textToHtml, valuesOfEnd, valuesOfStart, valuesOfUpdate } from './session-values';
import { type TenantFlowConfig, TenantFlowConfigLoader } from './tenant-flow-config';

/**
 * What each session event means for the session's CRM flow (CS4): the variables it adds, the steps it
 * schedules and the pops it makes due. Runs in the consumer's inbox transaction.
 */
@Injectable()
export class SessionFlowPlanner {
  constructor(
    private readonly config: TenantFlowConfigLoader,
    private readonly flows: SessionFlowRepository,
    private readonly effects: SessionFlowEffects,
  ) {}

  /** CS4.1: find-or-create the account as soon as the session starts (the record follows, CS4.2). */
  async started(tx: CrmSyncTx, tenantId: string, started: SessionStarted): Promise<void> {
    const config = await this.config.load(tenantId);
    if (!followsSessions(config)) return;
    let flow = await this.flows.lock(tx, tenantId, started.sessionId);
    flow = await this.flows.update(tx, flow, {
      // Updates that arrived before the start (an agent, a transfer) stay: they happened later.
      values: { ...valuesOfStart(started.sessionId, started), ...(started.supportNumber ? { SUPPORT_PHONE_NUMBER: started.supportNumber } : {}), ...flow.values },
      channel: started.channel,
      sessionType: started.sessionType,
      queueId: flow.queueId ?? started.queue?.id ?? null,
      startedAt: new Date(started.startedAt),
    });
    if (config.crm) await this.effects.schedule(tx, flow, [{ name: 'account', payload: { step: 'account' } }]);
    await this.effects.publishPops(tx, flow, config);
  }

  /** An agent assigned (the delayed record, pops), CS2.7 comments, CS2.5 updates on CSAT or a queue selected. */
  async updated(tx: CrmSyncTx, tenantId: string, updated: SessionUpdated): Promise<void> {
    const config = await this.config.load(tenantId);
    if (!followsSessions(config)) return;
    let flow = await this.flows.lock(tx, tenantId, updated.sessionId);
    const added = valuesOfUpdate(updated);
    flow = await this.flows.update(tx, flow, { values: { ...flow.values, ...added }, agentId: added.AGENT_ID ?? flow.agentId, queueId: added.QUEUE_ID ?? flow.queueId });
    if (config.crm) {
      await this.effects.schedule(tx, flow, [
        ...this.recordStepIfDue(flow, config),
        ...this.commentSteps(updateComments(updated), config),
        ...this.updateSteps(updated, flow, config),
      ]);
    }
    await this.effects.publishPops(tx, flow, config);
  }

  /**
   * CS4 driven by agent-adapter events: an agent took the call or chat (or it was transferred to them). Their
   * id, e-mail and custom id become the session's {AGENT_*} (CS3.1), a record waiting for an agent (CS4.2) is
   * created, and the agent gets the pop. The same agent again, or an agent after the end, changes nothing.
   */
  async agentTookSession(tx: CrmSyncTx, tenantId: string, sessionId: string, agent: SessionAgent, config: TenantFlowConfig): Promise<void> {
    if (!followsSessions(config)) return;
    let flow = await this.flows.lock(tx, tenantId, sessionId);
    if (flow.endedAt) return;
    const known = flow.agentId === agent.agentId && (agent.agentEmail ?? flow.values.AGENT_EMAIL) === flow.values.AGENT_EMAIL && (agent.agentCustomId ?? flow.values.AGENT_CUSTOM_ID) === flow.values.AGENT_CUSTOM_ID;
    if (known) return;
    const values = { ...flow.values, AGENT_ID: agent.agentId, AGENT_EMAIL: agent.agentEmail, AGENT_CUSTOM_ID: agent.agentCustomId };
    if (flow.agentId === agent.agentId) Object.assign(values, { AGENT_EMAIL: agent.agentEmail ?? flow.values.AGENT_EMAIL, AGENT_CUSTOM_ID: agent.agentCustomId ?? flow.values.AGENT_CUSTOM_ID });
    flow = await this.flows.update(tx, flow, { values: withoutEmpty(values), agentId: agent.agentId });
    if (config.crm) await this.effects.schedule(tx, flow, this.recordStepIfDue(flow, config));
    await this.effects.publishPops(tx, flow, config);
  }

  /** CS4.3: after the session, update the record and comment on the end; an abandoned session still gets its record (CS4.2). */
  async ended(tx: CrmSyncTx, tenantId: string, ended: SessionEnded): Promise<void> {
    const config = await this.config.load(tenantId);
    if (!followsSessions(config)) return;
    let flow = await this.flows.lock(tx, tenantId, ended.sessionId);
    flow = await this.flows.update(tx, flow, { values: { ...flow.values, ...valuesOfEnd(ended, flow.values) }, endedAt: new Date(ended.times.endedAt), outcome: ended.outcome });
    const steps: StepRequest[] = [{ name: 'forget', payload: { step: 'forget' } }];
    if (config.crm) {
      steps.push(...this.recordStepIfDue(flow, config), ...this.commentSteps([endComment(ended, flow.values)], config));
      if (config.crm.endpoints.has('updateRecord')) steps.push({ name: 'update/session_end', payload: { step: 'update' } });
    }
    await this.effects.schedule(tx, flow, steps);
  }

  /**
   * The record step, once the account is known, unless it waits for an agent (CS4.2) who has not come
   * and the session is still going. Scheduling it again is harmless: a step's key is scheduled once.
   */
  recordStepIfDue(flow: SessionFlow, config: TenantFlowConfig): StepRequest[] {
    if (!config.crm?.recordExpected || !flow.accountId) return [];
    if (config.settings.delayRecordUntilAgentAssigned && !flow.agentId && !flow.endedAt) return [];
    return [{ name: 'record', payload: { step: 'record' } }];
  }

  commentSteps(comments: RecordComment[], config: TenantFlowConfig): StepRequest[] {
    if (!config.crm?.endpoints.has('comment')) return [];
    return comments
      .filter((comment) => config.settings.comments.events.includes(comment.event))
      .map((comment) => ({ name: `comment/${comment.key}`, payload: { step: 'comment', comment: { event: comment.event, text: comment.text } } }));
  }

  private updateSteps(updated: SessionUpdated, flow: SessionFlow, config: TenantFlowConfig): StepRequest[] {
    if (!config.crm?.endpoints.has('updateRecord')) return [];
    const on = config.settings.updateRecordOn;
    const updates: Array<{ name: string; description: string }> = [];
    if (updated.csat && on.includes('csat')) updates.push({ name: `update/csat/${updated.occurredAt}`, description: `CSAT: ${updated.csat.rating}/5${updated.csat.feedback ? ` (${updated.csat.feedback})` : ''}` });
    const queueSelected = updated.transfers?.filter((transfer) => transfer.toQueueId !== undefined).at(-1);
    if (queueSelected && on.includes('queue_selected')) {
      updates.push({ name: `update/queue/${queueSelected.at}`, description: `Queue selected: ${queueSelected.toQueuePath ?? queueSelected.toQueueId}` });
    }
    return updates.map(({ name, description }) => ({
      name,
      payload: { step: 'update', values: { TICKET_SUBJECT: subjectOf(flow.values), TICKET_DESCRIPTION: description, TICKET_DESCRIPTION_HTML: textToHtml(description) } },
    }));
  }
}

function withoutEmpty<T extends Record<string, string | undefined>>(values: T): T {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined && value !== '')) as T;
}

/** A tenant with neither a custom CRM nor custom lookup URLs has no flows: nothing of its sessions is kept. */
function followsSessions(config: TenantFlowConfig): boolean {
  const lookups = config.settings.lookupUrls;
  return config.crm !== undefined || Boolean(lookups.ivrTemplate || lookups.sdkTemplate);
}
