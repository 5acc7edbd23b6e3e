import { Role } from '@switchboard/auth';
import { Topics } from '@switchboard/contracts';
import { type CrmSimulator, eventually, readOutbox } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORGOTTEN_URL } from '../session-flows/outbox-scrubber';
import { sessionStepQueue } from '../session-flows/session-step-queue';
import { type FlowHarness, startFlowHarness } from '../session-flows/test-support/flow-harness';
import { type FlowTestKit, sessionEvents } from '../session-flows/test-support/flow-test-kit';

const IVR_TEMPLATE = 'https://crm.example.com/lookup?phone={ANI}&email={EMAIL}&type={TYPE}&channel={CHANNEL}&cuid={CUID}&agent={CUSTOM_AGENT_ID}';
const NOT_FOUND_TEMPLATE = 'https://crm.example.com/contacts/new?phone={PHONE_NUMBER}&temp={ACCOUNT_ID}';

describe('custom lookup URL pops (CS5)', () => {
  let kit: FlowTestKit;
  let sim: CrmSimulator;
  let flows: FlowHarness;

  beforeAll(async () => {
    flows = await startFlowHarness();
    ({ kit, sim } = flows);
  }, 90_000);
  afterAll(() => flows?.close());
  const popsOf = (tenantId: string) => flows.popsOf(tenantId);

  it('CS5.1 CS5.2 CS5.3 the agent gets the custom URL with only the non-empty parameters, URL-encoded; when the session ends the URL is kept nowhere', async () => {
    const tenantId = randomUUID();
    kit.tenants.push(tenantId);
    await kit.put(tenantId, '/crm/session-flows/settings', { lookupUrls: { ivrTemplate: IVR_TEMPLATE } });
    const sessionId = `call-${randomUUID().slice(0, 8)}`;
    await kit.publish(tenantId, [sessionEvents.started(sessionId, { endUser: { phoneNumber: '+14155552671', id: '88213' } }), sessionEvents.agentAssigned(sessionId)]);

    const pop = await eventually(async () => popsOf(tenantId)[0], 'the custom lookup pop');
    expect(pop.data).toEqual({ agentId: '17', sessionId, recordType: 'custom_lookup', recordUrl: 'https://crm.example.com/lookup?phone=%2B14155552671&type=IVR_Call&channel=voice_call&cuid=88213' });
    expect(sim.requests).toEqual([]);

    await kit.publish(tenantId, [sessionEvents.ended(sessionId)]);
    await kit.runStepsOnceScheduled(tenantId, sessionId, 'forget');
    const rows = (await readOutbox(kit.prisma, 'crm_sync')).filter((row) => row.topic === Topics.crmRecordPops && JSON.stringify(row.envelope).includes(sessionId));
    expect(rows.map((row) => (row.envelope["data"] as { recordUrl: string }).recordUrl)).toEqual([FORGOTTEN_URL]);
    const flow = await kit.prisma.crmSessionFlow.findFirst({ where: { tenantId, sessionId } });
    expect(JSON.stringify(flow)).not.toContain('crm.example.com/lookup');
    expect(flow?.piiPopEventIds).toEqual([]);
  });

  it('CS5.4 a queue set to "open custom URL when not found" pops the URL with a temporary account id instead of creating an account', async () => {
    const tenantId = await kit.tenantWith(sim, { lookupUrls: { openCustomUrlWhenNotFound: [{ queueId: '8469', url: NOT_FOUND_TEMPLATE }] } });
    const sessionId = `call-${randomUUID().slice(0, 8)}`;
    await kit.publish(tenantId, [sessionEvents.started(sessionId, { endUser: { phoneNumber: '+12125550199' } }), sessionEvents.agentAssigned(sessionId)]);
    await kit.runStepsOnceScheduled(tenantId, sessionId, 'account');

    const pop = await eventually(async () => popsOf(tenantId)[0], 'the not-found pop');
    const temporary = String(pop.data['recordId']);
    expect(temporary).toMatch(/^tmp-[0-9a-f-]{36}$/);
    expect(pop.data).toMatchObject({ agentId: '17', recordType: 'new_account', recordUrl: `https://crm.example.com/contacts/new?phone=%2B12125550199&temp=${temporary}` });
    expect(sim.requests.filter((request) => request.method === 'POST')).toEqual([]);
    expect(await kit.step(tenantId, sessionId, 'record')).toBeUndefined();
  });

  it('CS5.1 templates are checked on save: a 400 names the field, and nothing is stored', async () => {
    const tenantId = randomUUID();
    const bad = [
      { lookupUrls: { ivrTemplate: 'javascript:alert({ANI})' } },
      { lookupUrls: { sdkTemplate: 'https://crm.example.com/?p={PHONE_NUMBER}' } },
      { lookupUrls: { ivrTemplate: 'https://{ANI}.example.com/' } },
      { lookupUrls: { openCustomUrlWhenNotFound: [{ queueId: '1', url: 'https://crm.example.com/?a={ANI}' }] } },
      { lookupUrls: { openCustomUrlWhenNotFound: [{ queueId: '1', url: NOT_FOUND_TEMPLATE }, { queueId: '1', url: NOT_FOUND_TEMPLATE }] } },
      { retryPolicy: 'forever' },
      { comments: { events: ['session_start', 'session_start'] } },
      { unknown: true },
    ];
    for (const body of bad) {
      const response = await kit.app.call('/crm/session-flows/settings', { method: 'PUT', tenantId, roles: [Role.Administrator], body: JSON.stringify(body) });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(((await response.json()) as { error: { details: Array<{ field: string }> } }).error.details[0]?.field).toMatch(/^(lookupUrls|retryPolicy|comments|unknown)/);
    }
    expect(await kit.prisma.crmFlowSettings.findUnique({ where: { tenantId } })).toBeNull();
  });

  it('CS4 a tenant with neither a custom CRM nor custom lookup URLs keeps nothing of its sessions', async () => {
    const tenantId = randomUUID();
    const sessionId = `call-${randomUUID().slice(0, 8)}`;
    const [event] = await kit.publish(tenantId, [sessionEvents.started(sessionId)]);
    await eventually(async () => {
      const rows = await kit.prisma.$queryRawUnsafe<{ count: number }[]>('SELECT count(*)::int AS count FROM crm_sync.inbox_event WHERE event_id = $1', event?.id);
      return rows[0]?.count === 1 ? true : undefined;
    }, 'the start consumed');
    expect(await kit.prisma.crmSessionFlow.count({ where: { tenantId } })).toBe(0);
    expect(await kit.jobs.list(sessionStepQueue, { tenantId })).toEqual([]);
  });
});
