import { CatalogEvent, createCloudEvent, CrmRecordPopEventTypes, eventCatalog, Topics } from '@switchboard/contracts';
import { describe, expect, it } from 'vitest';
import { entriesOfAgentEvent, entriesOfPop, UNKNOWN_EVENT_TYPE } from './stream-entries';

const TENANT = '5a4f0b2e-8c1d-4e3f-9a6b-7c8d9e0f1a2b';

const agentEvent = (adapterEventType: string, payload: Record<string, unknown>, agentId?: string) =>
  createCloudEvent({
    type: 'switchboard.agent.Unknown',
    source: '/switchboard/event-bridge',
    subject: 's-1',
    tenantId: TENANT,
    data: { adapterEventType, sessionId: 's-1', sessionKind: 'chat' as const, receivedAt: '2026-12-01T10:00:00.000Z', payload, ...(agentId && { agentId }) },
  }) as CatalogEvent<typeof Topics.agentEvents>;

describe('what an agent page is sent (EB3.1)', () => {
  it('EB3.1 a CRM_Record_Pop goes to the agent it names, under the CloudEvent tenant, shaped like a postMessage {type, data}', () => {
    const event = createCloudEvent({
      type: CrmRecordPopEventTypes.recordPop,
      source: '/switchboard/crm-sync',
      subject: '17',
      tenantId: TENANT,
      data: { agentId: '17', recordUrl: 'https://crm.example.com/tickets/42', recordType: 'ticket', recordId: '42' },
    });
    const parsed = eventCatalog.parse(Topics.crmRecordPops, event) as CatalogEvent<typeof Topics.crmRecordPops>;

    expect(entriesOfPop(parsed)).toEqual([
      {
        tenantId: TENANT,
        agentId: '17',
        type: 'CRM_Record_Pop',
        data: { type: 'CRM_Record_Pop', eventId: event.id, time: event.time, data: { recordUrl: 'https://crm.example.com/tickets/42', recordType: 'ticket', recordId: '42' } },
      },
    ]);
  });

  it('EB3.1 a session event goes to the agent in agent_id, numeric or not, once', () => {
    const entries = entriesOfAgentEvent(agentEvent('New_Chat', { chat_id: 103646, agent_id: 1 }, '1'));
    expect(entries.map((entry) => [entry.agentId, entry.type])).toEqual([['1', 'New_Chat']]);
    expect(entries[0].data.data).toEqual({ chat_id: 103646, agent_id: 1 });
  });

  it('EB3.1 a transfer goes to both the agent it leaves and the agent it reaches', () => {
    const entries = entriesOfAgentEvent(agentEvent('Transfer_Chat', { chat_id: 103646, from_agent_id: 1, to_agent_id: 5 }));
    expect(entries.map((entry) => entry.agentId)).toEqual(['1', '5']);
  });

  it('EB3.1 an event naming no agent goes to nobody', () => {
    expect(entriesOfAgentEvent(agentEvent('New_Call', { call_id: 7, agent_id: null, to_agent_id: 1.5 }))).toEqual([]);
  });

  it('EB3.2 an adapter-sent CRM_Record_Pop reaches the page only with an http(s) recordUrl', () => {
    expect(entriesOfAgentEvent(agentEvent('CRM_Record_Pop', { agent_id: 1, recordUrl: 'javascript:alert(1)' }))).toEqual([]);
    expect(entriesOfAgentEvent(agentEvent('CRM_Record_Pop', { agent_id: 1 }))).toEqual([]);
    expect(entriesOfAgentEvent(agentEvent('CRM_Record_Pop', { agent_id: 1, recordUrl: 'https://crm.example.com/r/1' }))).toHaveLength(1);
  });

  it('an adapter event name that cannot be an SSE event name is sent as Unknown (a line break would end the field)', () => {
    const [entry] = entriesOfAgentEvent(agentEvent('New_Call\nevent: CRM_Record_Pop', { agent_id: 1 }));
    expect(entry.type).toBe(UNKNOWN_EVENT_TYPE);
    expect(entry.data.type).toBe(UNKNOWN_EVENT_TYPE);
  });
});
