import { agentEventType, Topics } from '@switchboard/contracts';
import { CrmSimulator, eventually } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowTestKit, SIMULATOR_AUTH, sessionEvents, watchRecordPops } from '../session-flows/test-support/flow-test-kit';

const SIMULATOR_HOST = '127.0.0.2';

/** An adapter event as event-bridge publishes it on agent.events.v1 (EB2.1). */
function adapterEvent(type: string, sessionId: string, payload: Record<string, unknown>) {
  return {
    type: agentEventType(type),
    data: { adapterEventType: type, sessionId, sessionKind: 'call', ...(typeof payload['agent_id'] === 'string' ? { agentId: payload['agent_id'] } : {}), receivedAt: '2026-03-02T14:01:00.000Z', payload: { call_id: sessionId, ...payload } },
  };
}

describe('CS4 session flows driven by agent-adapter events (agent.events.v1)', () => {
  let kit: FlowTestKit;
  let sim: CrmSimulator;
  let popsWatch: Awaited<ReturnType<typeof watchRecordPops>>;

  beforeAll(async () => {
    sim = await CrmSimulator.start({ host: SIMULATOR_HOST, auth: SIMULATOR_AUTH });
    kit = await FlowTestKit.start({ OUTBOUND_HTTP_ALLOW: `${SIMULATOR_HOST}/32` });
    popsWatch = await watchRecordPops(kit.tenants);
  }, 90_000);
  afterAll(async () => {
    await popsWatch?.stop();
    await kit?.close();
    await sim?.close();
  });

  const recordsNamed = (name: string) => {
    const account = [...sim.store.accounts.values()].find((candidate) => candidate['name'] === name);
    return [...sim.store.records.values()].filter((record) => record.accountId === account?.id);
  };

  it('CS4.2 CS3.1 an agent taking the call (Agent_Joined_Call) releases the delayed record with {AGENT_EMAIL}, and gets the pop; a transfer pops to the receiving agent', async () => {
    const tenantId = await kit.tenantWith(sim, { delayRecordUntilAgentAssigned: true }, { recordLookupUrl: 'https://crm.example.com/records/{RECORD_ID}' });
    const sessionId = `${Math.floor(Math.random() * 1e9)}`;
    await kit.publish(tenantId, [sessionEvents.started(sessionId, { endUser: { phoneNumber: '+12125550150', name: 'Agent Event Caller' } })]);
    await kit.runStepsOnceScheduled(tenantId, sessionId, 'account');
    expect(await kit.step(tenantId, sessionId, 'record')).toBeUndefined();

    // Messages and co-browsing say nothing about who has the call.
    await kit.publish(tenantId, [adapterEvent('Call_Redaction_Started', sessionId, { agent_id: '99' }), adapterEvent('Agent_Joined_Call', sessionId, { agent_id: '31', agent_email: 'agent31@example.com', agent_custom_id: 'A-31' })], Topics.agentEvents);
    await kit.runStepsOnceScheduled(tenantId, sessionId, 'record');
    expect(recordsNamed('Agent Event Caller')).toEqual([expect.objectContaining({ owner: 'agent31@example.com' })]);
    expect((await kit.prisma.crmSessionFlow.findFirst({ where: { tenantId, sessionId } }))?.values).toMatchObject({ AGENT_ID: '31', AGENT_EMAIL: 'agent31@example.com', AGENT_CUSTOM_ID: 'A-31' });
    const recordId = recordsNamed('Agent Event Caller')[0]?.id;
    await eventually(async () => popsWatch.pops.find((pop) => pop.tenantid === tenantId && pop.key === '31'), 'the pop for agent 31');

    await kit.publish(tenantId, [adapterEvent('Agent_Joined_Call', sessionId, { agent_id: '31' }), adapterEvent('Transfer_Call', sessionId, { from_agent_id: '31', to_agent_id: '44', to_agent_email: 'agent44@example.com' })], Topics.agentEvents);
    const toNew = await eventually(async () => popsWatch.pops.find((pop) => pop.tenantid === tenantId && pop.key === '44'), 'the pop for agent 44');
    expect(toNew.data).toMatchObject({ agentId: '44', sessionId, recordUrl: `https://crm.example.com/records/${recordId}` });
    expect(popsWatch.pops.filter((pop) => pop.tenantid === tenantId && pop.key === '31')).toHaveLength(1);
    expect((await kit.prisma.crmSessionFlow.findFirst({ where: { tenantId, sessionId } }))?.values).toMatchObject({ AGENT_ID: '44', AGENT_EMAIL: 'agent44@example.com' });
    expect(recordsNamed('Agent Event Caller')).toHaveLength(1);
  });

  it('CS4 an agent event of a tenant without CRM flows stores no flow', async () => {
    const tenantId = randomUUID();
    const sessionId = `${Math.floor(Math.random() * 1e9)}`;
    const [event] = await kit.publish(tenantId, [adapterEvent('Agent_Joined_Call', sessionId, { agent_id: '5' })], Topics.agentEvents);
    await eventually(async () => ((await kit.prisma.agentEventLog.findFirst({ where: { eventId: event?.id } })) ? true : undefined), 'the event logged');
    expect(await kit.prisma.crmSessionFlow.count({ where: { tenantId } })).toBe(0);
  });
});
