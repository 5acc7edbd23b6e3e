import { Role } from '@switchboard/auth';
import { CrmSimulator, eventually } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowTestKit, sessionEvents, watchRecordPops } from './test-support/flow-test-kit';

// The CRM simulator listens on 127.0.0.2, the only allow-listed address (P2.5).
const SIMULATOR_HOST = '127.0.0.2';
const PASSWORD = 'crm-password';
const KIM = { id: 'acc_1', name: 'Dana Reyes', Phone: '+14155552671', Email: 'dana@example.com' };
const RECORD_PAGE = 'https://crm.example.com/records/{RECORD_ID}';

describe('CRM session flows (CS4): contact.session.v1 → durable steps against the reference CRM simulator → CRM_Record_Pop', () => {
  let kit: FlowTestKit;
  let sim: CrmSimulator;
  let popsWatch: Awaited<ReturnType<typeof watchRecordPops>>;
  const tenants: string[] = [];

  const endpoints = () => {
    const api = `${sim.url}/api`;
    return {
      findAccountByQuery: { url: `${api}/accounts`, method: 'GET', parameters: { criteria: '=CONCAT_OR((Phone:equals:{PHONE_NUMBER}), (Email:equals:{EMAIL}))' }, responseDataLocation: 'data' },
      createAccount: { url: `${api}/accounts`, method: 'POST', parameters: { name: '{NAME}', Phone: '{PHONE_NUMBER}', owner: '=DEFAULT_VALUE({AGENT_EMAIL}, support@example.com)' }, responseDataLocation: 'data' },
      findRecordByQuery: { url: `${api}/records`, method: 'GET', parameters: { accountId: '{ACCOUNT_ID}', status: 'open' }, responseDataLocation: 'data' },
      createRecord: {
        url: `${api}/records`,
        method: 'POST',
        parameters: { accountId: '{ACCOUNT_ID}', subject: '{TICKET_SUBJECT}', owner: '=DEFAULT_VALUE({AGENT_EMAIL}, unassigned@example.com)' },
        responseDataLocation: 'data',
      },
      updateRecord: { url: `${api}/records/{RECORD_ID}`, method: 'PATCH', parameters: { subject: '{TICKET_SUBJECT}', description: '{TICKET_DESCRIPTION}' }, responseDataLocation: 'data' },
      uploadFile: { url: `${api}/records/{RECORD_ID}/attachments`, method: 'POST', parameters: { file: '{FILE_DATA}' }, responseDataLocation: 'data' },
      comment: { url: `${api}/records/{RECORD_ID}/comments`, method: 'POST', parameters: { body: '{COMMENT_BODY}' }, responseDataLocation: 'data' },
    };
  };

  /** A fresh tenant with the custom CRM configured (and the given flow settings). */
  const tenantWith = async (flowSettings: Record<string, unknown> = {}, crm: Record<string, unknown> = {}) => {
    const tenantId = randomUUID();
    tenants.push(tenantId);
    await kit.put(tenantId, '/crm/custom/settings', {
      auth: { type: 'basic', username: 'switchboard', password: PASSWORD },
      phoneFormat: 'e164',
      recordLookupUrl: RECORD_PAGE,
      reuseExistingRecords: false,
      endpoints: endpoints(),
      ...crm,
    });
    await kit.put(tenantId, '/crm/session-flows/settings', flowSettings);
    return tenantId;
  };
  const popsOf = (tenantId: string) => popsWatch.pops.filter((pop) => pop.tenantid === tenantId);
  const requestsTo = (method: string, pathPrefix: string) => sim.requests.filter((request) => request.method === method && request.path.startsWith(pathPrefix));
  const recordsOf = (accountId: string) => [...sim.store.records.values()].filter((record) => record.accountId === accountId);

  beforeAll(async () => {
    sim = await CrmSimulator.start({ host: SIMULATOR_HOST, auth: { type: 'basic', username: 'switchboard', password: PASSWORD }, accounts: [KIM] });
    kit = await FlowTestKit.start({ OUTBOUND_HTTP_ALLOW: `${SIMULATOR_HOST}/32` });
    popsWatch = await watchRecordPops(tenants);
  }, 90_000);
  afterAll(async () => {
    await popsWatch?.stop();
    await kit?.close();
    await sim?.close();
  });

  it('CS4.1 CS1.4 CS4.3 CS2.5 CS2.7 a started session finds the account, creates the record and pops it; after the end the record is updated and commented', async () => {
    const tenantId = await tenantWith();
    const sessionId = `call-${randomUUID().slice(0, 8)}`;
    await kit.publish(tenantId, [sessionEvents.started(sessionId), sessionEvents.agentAssigned(sessionId)]);
    await eventually(async () => ((await kit.prisma.crmSessionFlow.findFirst({ where: { tenantId, sessionId, agentId: '17' } })) ? true : undefined), 'the agent assignment');
    await kit.runStepsOnceScheduled(tenantId, sessionId, 'account');

    const [record] = recordsOf(KIM.id);
    expect(record).toMatchObject({ accountId: KIM.id, subject: `Voice Inbound ${sessionId} with Dana Reyes`, owner: 'agent17@example.com' });
    const pop = await eventually(async () => popsOf(tenantId)[0], 'the CRM_Record_Pop on Kafka');
    expect(pop).toEqual({ key: '17', tenantid: tenantId, data: { agentId: '17', sessionId, recordUrl: `https://crm.example.com/records/${record?.id}`, recordType: 'record', recordId: record?.id } });
    expect(sim.store.comments.filter((comment) => comment.recordId === record?.id).map((comment) => comment.fields['body'])).toEqual([`Call ${sessionId} started at 2026-03-02T14:00:00.000Z.`]);

    await kit.publish(tenantId, [sessionEvents.updated(sessionId, { csat: { rating: 4, feedback: 'Quick and friendly' } }, '2026-03-02T14:11:00.000Z', 3), sessionEvents.ended(sessionId, 'completed', 4)]);
    await kit.runStepsOnceScheduled(tenantId, sessionId, 'update/session_end');

    expect(sim.store.records.get(record?.id ?? '')).toMatchObject({ subject: `Voice Inbound ${sessionId} with Dana Reyes`, description: expect.stringContaining('CSAT: 4/5 (Quick and friendly)') });
    const comments = sim.store.comments.filter((comment) => comment.recordId === record?.id).map((comment) => comment.fields['body']);
    expect(comments.sort()).toEqual([
      'CSAT rating: 4/5\nFeedback: Quick and friendly',
      `Call ${sessionId} ended (completed, duration 11:30) at 2026-03-02T14:12:00.000Z.`,
      `Call ${sessionId} started at 2026-03-02T14:00:00.000Z.`,
    ]);
  });

  it('CS4 redelivered and re-issued session events change nothing: no second account, record, comment or pop', async () => {
    const tenantId = await tenantWith();
    const sessionId = `call-${randomUUID().slice(0, 8)}`;
    const events = [sessionEvents.started(sessionId, { endUser: { phoneNumber: '+12125550123', name: 'Ana Lima' } }), sessionEvents.agentAssigned(sessionId), sessionEvents.ended(sessionId)];
    await kit.publish(tenantId, events);
    await kit.runStepsOnceScheduled(tenantId, sessionId, 'update/session_end');
    const callsBefore = sim.requests.length;
    const accounts = [...sim.store.accounts.values()].filter((account) => account['name'] === 'Ana Lima');
    expect(accounts).toHaveLength(1);
    await eventually(async () => (popsOf(tenantId).length === 1 ? true : undefined), 'one pop');

    // The same facts again as new events (a sender's resend; event-bridge's re-issued SessionEnded).
    const resent = await kit.publish(tenantId, events);
    await eventually(async () => {
      const rows = await kit.prisma.$queryRawUnsafe<{ count: number }[]>('SELECT count(*)::int AS count FROM crm_sync.inbox_event WHERE event_id = ANY($1::text[])', resent.map((event) => event.id));
      return rows[0]?.count === resent.length ? true : undefined;
    }, 'the resent events consumed');
    expect(await kit.jobs.runDueJobs()).toBe(0);

    expect(sim.requests.length).toBe(callsBefore);
    expect([...sim.store.accounts.values()].filter((account) => account['name'] === 'Ana Lima')).toHaveLength(1);
    expect(recordsOf(accounts[0]?.id ?? '')).toHaveLength(1);
    expect(popsOf(tenantId)).toHaveLength(1);
  });

  it('CS4 CS2.8 a restart between steps (the record call answered 400, the service stopped) finishes every step once', async () => {
    const tenantId = await tenantWith();
    const sessionId = `call-${randomUUID().slice(0, 8)}`;
    sim.fail({ method: 'POST', pathPrefix: '/api/records', status: 400 });
    await kit.publish(tenantId, [sessionEvents.started(sessionId, { endUser: { phoneNumber: '+12125550124', name: 'Restart Case' } }), sessionEvents.agentAssigned(sessionId)]);
    await kit.runStepsOnceScheduled(tenantId, sessionId, 'account');
    expect(await kit.step(tenantId, sessionId, 'record')).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringContaining('createRecord: the CRM answered 400') });

    await kit.restart();
    kit.clock.advance(60_000);
    await kit.jobs.runDueJobs();

    const accounts = [...sim.store.accounts.values()].filter((account) => account['name'] === 'Restart Case');
    expect(accounts).toHaveLength(1);
    expect(recordsOf(accounts[0]?.id ?? '')).toHaveLength(1);
    expect(await kit.step(tenantId, sessionId, 'record')).toMatchObject({ status: 'succeeded', attempts: 2 });
    await eventually(async () => (popsOf(tenantId).length === 1 ? true : undefined), 'one pop after the restart');
  });
});
