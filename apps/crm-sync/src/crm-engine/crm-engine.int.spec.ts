import { Role } from '@switchboard/auth';
import { CrmSimulator } from '@switchboard/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CrmSyncTestApp, startCrmSyncTestApp } from '../test-support/crm-sync-test-app';
import { CrmCallRecorder } from '../crm-calls/crm-call-recorder';
import { CrmEngineService, EndpointNotConfigured } from './crm-engine.service';
import { CustomCrmSettingsService } from './crm-settings.service';
import { CrmValueMissing } from './template-error';

// The CRM simulator listens on 127.0.0.2, the only allow-listed address (P2.5).
const SIMULATOR_HOST = '127.0.0.2';
const TENANT = '7e3a9c4d-5f6b-4a8c-9d0e-2f3a4b5c6d7e';
const PASSWORD = 'crm-password';
const KIM = { id: 'acc_1', name: 'Kim Lee', Phone: '+12223334444', Email: 'kim@example' };

describe('custom CRM engine: configured endpoints called against the reference CRM simulator (CS1–CS3, P2.5)', () => {
  let app: CrmSyncTestApp;
  let sim: CrmSimulator;
  let engine: CrmEngineService;

  const endpoints = () => {
    const api = `${sim.url}/api`;
    return {
      findAccountByQuery: { url: `${api}/accounts`, method: 'GET', parameters: { criteria: '=CONCAT_OR((Id:equals:{ACCOUNT_ID}), (Phone:equals:{PHONE_NUMBER}), (Email:equals:{EMAIL}))' }, responseDataLocation: 'data' },
      findAccountById: { url: `${api}/accounts/{ACCOUNT_ID}`, method: 'GET', parameters: {}, responseDataLocation: 'data' },
      createAccount: {
        url: `${api}/accounts`,
        method: 'POST',
        parameters: { name: '{NAME}', lastName: '{LAST_NAME}', phone: '{PHONE_NUMBER}', owner: '=DEFAULT_VALUE({AGENT_EMAIL}, support@example.com)', source: 'switchboard' },
        bodyFormat: { type: 'container', containerType: 'array', containerName: 'data' },
        responseDataLocation: 'data',
      },
      findRecordByQuery: { url: `${api}/records`, method: 'GET', parameters: { accountId: '{ACCOUNT_ID}', status: 'open' }, responseDataLocation: 'data' },
      createRecord: {
        url: `${api}/records`,
        method: 'POST',
        parameters: { accountId: '{ACCOUNT_ID}', subject: '{TICKET_SUBJECT}', sourceType: 'PHONE' },
        bodyFormat: { type: 'container', containerType: 'map', containerName: 'ticket' },
        responseDataLocation: 'data',
      },
    };
  };
  const configure = async (settings: Record<string, unknown> = {}) => {
    const response = await app.call('/crm/custom/settings', {
      method: 'PUT',
      tenantId: TENANT,
      roles: [Role.Administrator],
      body: JSON.stringify({ auth: { type: 'basic', username: 'switchboard', password: PASSWORD }, phoneFormat: 'e164', endpoints: endpoints(), ...settings }),
    });
    expect(response.status).toBe(200);
  };

  beforeAll(async () => {
    sim = await CrmSimulator.start({ host: SIMULATOR_HOST, auth: { type: 'basic', username: 'switchboard', password: PASSWORD }, accounts: [KIM] });
    app = await startCrmSyncTestApp({ OUTBOUND_HTTP_ALLOW: `${SIMULATOR_HOST}/32` });
    engine = app.app.get(CrmEngineService);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });
  beforeEach(async () => {
    sim.auth = { type: 'basic', username: 'switchboard', password: PASSWORD };
    sim.clearFaults();
    await configure();
  });

  it('CS2.1 CS3.2 CS1.1 finds an account by query with the Zoho CONCAT_OR criteria and basic auth; the id comes from the response data location', async () => {
    const result = await engine.call(TENANT, 'findAccountByQuery', { PHONE_NUMBER: '+12223334444', EMAIL: 'kim@example' });

    expect(result).toMatchObject({ outcome: 'ok', status: 200, id: 'acc_1', data: KIM });
    const sent = sim.requests.at(-1);
    expect(sent?.query['criteria']).toBe('(Phone:equals:+12223334444) or (Email:equals:kim@example)');
    expect(sent?.headers.authorization).toBe(`Basic ${Buffer.from(`switchboard:${PASSWORD}`).toString('base64')}`);
    expect(result.request.headers['authorization']).toBe('<redacted>');
    expect(JSON.stringify(result)).not.toContain(Buffer.from(`switchboard:${PASSWORD}`).toString('base64'));
  });

  it('CS2.3 finds by id when {ACCOUNT_ID} is known; an unknown id is not_found (404), and a find with no match is not_found', async () => {
    expect(await engine.call(TENANT, 'findAccountById', { ACCOUNT_ID: 'acc_1' })).toMatchObject({ outcome: 'ok', id: 'acc_1' });
    expect(await engine.call(TENANT, 'findAccountById', { ACCOUNT_ID: 'acc_missing' })).toMatchObject({ outcome: 'not_found', status: 404 });
    expect(await engine.call(TENANT, 'findAccountByQuery', { EMAIL: 'nobody@example' })).toMatchObject({ outcome: 'not_found', status: 200 });
    await expect(engine.call(TENANT, 'findAccountById', {})).rejects.toThrow(CrmValueMissing);
  });

  it('CS2.1 CS3.2 CS4.2 creates an account (array container) with DEFAULT_VALUE for the unknown agent e-mail, then a record (map container) for it', async () => {
    const account = await engine.call(TENANT, 'createAccount', { NAME: 'Ana', PHONE_NUMBER: '+12125550123' });

    expect(account).toMatchObject({ outcome: 'ok', status: 201 });
    const accountId = account.outcome === 'ok' ? account.id : undefined;
    expect(sim.store.accounts.get(accountId ?? '')).toMatchObject({ name: 'Ana', lastName: '--', phone: '+12125550123', owner: 'support@example.com', source: 'switchboard' });
    expect(JSON.parse(sim.requests.at(-1)?.body ?? '')).toEqual({ data: [{ name: 'Ana', lastName: '--', phone: '+12125550123', owner: 'support@example.com', source: 'switchboard' }] });

    const record = await engine.call(TENANT, 'createRecord', { ACCOUNT_ID: accountId, TICKET_SUBJECT: 'Inbound call' });
    expect(record).toMatchObject({ outcome: 'ok', status: 201, id: expect.stringMatching(/^rec_/) });
    expect(await engine.call(TENANT, 'findRecordByQuery', { ACCOUNT_ID: accountId })).toMatchObject({ outcome: 'ok', id: record.outcome === 'ok' ? record.id : '' });
  });

  it('CS1.1 custom headers authenticate every call (values redacted in the result); a wrong secret is a failed call with the status', async () => {
    sim.auth = { type: 'headers', headers: { 'X-Api-Key': 'k-123', 'X-Org': 'acme' } };
    await configure({ auth: { type: 'custom_headers', headers: [{ name: 'X-Api-Key', value: 'k-123' }, { name: 'X-Org', value: 'acme' }] } });

    const found = await engine.call(TENANT, 'findAccountById', { ACCOUNT_ID: 'acc_1' });
    expect(found).toMatchObject({ outcome: 'ok', request: { headers: { 'x-api-key': '<redacted>', 'x-org': '<redacted>' } } });

    await configure({ auth: { type: 'custom_headers', headers: [{ name: 'X-Api-Key', value: 'wrong' }, { name: 'X-Org' }] } });
    expect(await engine.call(TENANT, 'findAccountById', { ACCOUNT_ID: 'acc_1' })).toMatchObject({ outcome: 'failed', status: 401 });
  });

  it('CS1.2 the phone number is sent in the tenant format: automatic searches with *222*333*4444 and creates with +1 222 333 4444', async () => {
    await configure({ phoneFormat: 'automatic' });

    expect(await engine.call(TENANT, 'findAccountByQuery', { PHONE_NUMBER: '+12223334444' })).toMatchObject({ outcome: 'ok', id: 'acc_1' });
    expect(sim.requests.at(-1)?.query['criteria']).toBe('(Phone:equals:*222*333*4444)');
    await engine.call(TENANT, 'createAccount', { NAME: 'Lee', PHONE_NUMBER: '+12223334444' });
    expect(JSON.parse(sim.requests.at(-1)?.body ?? '')).toMatchObject({ data: [{ phone: '+1 222 333 4444' }] });
  });

  it('CS1.3 CS2.8 failures are results, not exceptions: 400, 429 with Retry-After, a timeout past the tenant timeout, a redirect to a private address', async () => {
    await configure({ requestTimeoutSeconds: 1 });
    sim.fail({ pathPrefix: '/api/accounts', status: 400 });
    sim.fail({ pathPrefix: '/api/accounts', status: 429, retryAfterSeconds: 30 });
    sim.fail({ pathPrefix: '/api/accounts', status: 200, delayMs: 1_500 });
    sim.fail({ pathPrefix: '/api/accounts', status: 302, location: 'http://127.0.0.1:3003/internal' });
    const find = () => engine.call(TENANT, 'findAccountById', { ACCOUNT_ID: 'acc_1' });

    expect(await find()).toMatchObject({ outcome: 'failed', status: 400 });
    expect(await find()).toMatchObject({ outcome: 'failed', status: 429, retryAfter: '30' });
    expect(await find()).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/^timeout/) });
    expect(await find()).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/^redirect-refused/) });
    expect(await find()).toMatchObject({ outcome: 'ok' });
  });

  it('CS2.2 an endpoint that is not configured cannot be called', async () => {
    await expect(engine.call(TENANT, 'comment', { RECORD_ID: 'rec_1' })).rejects.toThrow(EndpointNotConfigured);
  });

  describe('dry run (POST /crm/custom/dry-run, Administrator)', () => {
    const dryRun = (body: unknown, roles: Role[] = [Role.Administrator], tenantId = TENANT) => app.call('/crm/custom/dry-run', { method: 'POST', tenantId, roles, body: JSON.stringify(body) });
    const answerOf = async (response: Response) => {
      expect(response.status).toBe(200);
      return (await response.json()) as { executed: boolean; steps: Array<{ endpoint: string; request?: { method: string; url: string; headers: Record<string, string>; body?: string }; needs?: string; response?: Record<string, unknown> }>; accountId?: string; recordId?: string; stoppedAt?: string };
    };

    it('CS2 CS3 without execute: the exact requests in flow order, authentication redacted, steps that wait for an id say so; nothing is sent', async () => {
      const before = sim.requests.length;

      const answer = await answerOf(await dryRun({ variables: { NAME: 'Kim Lee', PHONE_NUMBER: '+12223334444', TICKET_SUBJECT: 'Inbound call' } }));

      expect(answer.executed).toBe(false);
      expect(answer.steps.map((step) => [step.endpoint, step.needs])).toEqual([
        ['findAccountByQuery', undefined],
        ['createAccount', undefined],
        ['findRecordByQuery', 'ACCOUNT_ID'],
        ['createRecord', 'ACCOUNT_ID'],
      ]);
      expect(answer.steps[0]?.request).toEqual({
        method: 'GET',
        url: `${sim.url}/api/accounts?criteria=(Phone%3Aequals%3A%2B12223334444)`,
        headers: { accept: 'application/json', authorization: '<redacted>' },
      });
      expect(JSON.parse(answer.steps[1]?.request?.body ?? '')).toEqual({ data: [{ name: 'Kim Lee', lastName: 'Lee', phone: '+12223334444', owner: 'support@example.com', source: 'switchboard' }] });
      expect(sim.requests.length).toBe(before);
    });

    it('CS2.3 CS2.4 with execute: not found → account created → record created, each answer and extracted id shown', async () => {
      const answer = await answerOf(await dryRun({ variables: { NAME: 'New Caller', PHONE_NUMBER: '+13125550100', TICKET_SUBJECT: 'Chat' }, execute: true }));

      expect(answer.steps.map((step) => [step.endpoint, step.response?.['outcome']])).toEqual([
        ['findAccountByQuery', 'not_found'],
        ['createAccount', 'ok'],
        ['findRecordByQuery', 'not_found'],
        ['createRecord', 'ok'],
      ]);
      expect(sim.store.accounts.get(answer.accountId ?? '')).toMatchObject({ name: 'New Caller' });
      expect(sim.store.records.get(answer.recordId ?? '')).toMatchObject({ accountId: answer.accountId, subject: 'Chat' });
      expect(answer.steps[3]?.request?.body).toContain(answer.accountId);
    });

    it('CS2.3 CS2.4 with execute: a known id that is gone (404) falls back to the query; an open record is reused', async () => {
      await engine.call(TENANT, 'createRecord', { ACCOUNT_ID: 'acc_1', TICKET_SUBJECT: 'Earlier call' });

      const answer = await answerOf(await dryRun({ variables: { ACCOUNT_ID: 'acc_gone', EMAIL: 'kim@example' }, execute: true }));

      expect(answer.steps.map((step) => [step.endpoint, step.response?.['status'], step.response?.['outcome']])).toEqual([
        ['findAccountById', 404, 'not_found'],
        ['findAccountByQuery', 200, 'ok'],
        ['findRecordByQuery', 200, 'ok'],
      ]);
      expect(answer).toMatchObject({ accountId: 'acc_1', recordId: expect.stringMatching(/^rec_/) });
    });

    it('CS2.8 with execute: a failing call stops the flow and is named', async () => {
      sim.fail({ method: 'POST', pathPrefix: '/api/accounts', status: 400 });

      const answer = await answerOf(await dryRun({ variables: { NAME: 'Nobody', EMAIL: 'nobody@example' }, execute: true }));

      expect(answer).toMatchObject({ stoppedAt: 'createAccount' });
      expect(answer.steps.at(-1)?.response).toMatchObject({ outcome: 'failed', status: 400 });
    });

    it('P1.1 P2.1 administrators only; unknown variables are 400; a tenant without settings 404', async () => {
      expect((await dryRun({}, [Role.OmnichannelAgent])).status).toBe(403);
      const unknown = await dryRun({ variables: { PASSWORD: 'x' } });
      expect(unknown.status).toBe(400);
      expect((await dryRun({ variables: { EMAIL: 'x'.repeat(5000) } })).status).toBe(400);
      expect((await dryRun({}, [Role.Administrator], '00000000-0000-4000-8000-000000000001')).status).toBe(404);
    });
  });
  it('CS2.8 a session step\'s POST/PATCH calls carry an Idempotency-Key, the same on every try of the step: a try repeated after a crash is answered from the CRM\'s store, no second account', async () => {
    const recorder = app.app.get(CrmCallRecorder);
    const connectionNow = () => app.app.get(CustomCrmSettingsService).connectionFor(TENANT);
    const connection = await connectionNow();
    const values = { NAME: 'Idem Potent', PHONE_NUMBER: '+12125550177' };
    const step = (stepName: string, attempt: number) => ({ tenantId: TENANT, sessionId: 'idem-1', step: 'account', stepName, attempt });
    const accountsNamed = () => [...sim.store.accounts.values()].filter((account) => account['name'] === 'Idem Potent');

    const first = await recorder.call(step('account', 1), connection, 'createAccount', values);
    const retried = await recorder.call(step('account', 2), connection, 'createAccount', values);
    const key = sim.requests.at(-1)?.headers['idempotency-key'];
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sim.requests.at(-2)?.headers['idempotency-key']).toBe(key);
    expect(retried).toMatchObject({ outcome: 'ok', id: first.outcome === 'ok' ? first.id : 'none' });
    expect(accountsNamed()).toHaveLength(1);
    // Another step (or session, or tenant) is another key: another call.
    await recorder.call(step('account/other', 1), connection, 'createAccount', values);
    expect(sim.requests.at(-1)?.headers['idempotency-key']).not.toBe(key);
    expect(accountsNamed()).toHaveLength(2);
    // GETs never carry it; an endpoint's setting turns it off.
    await recorder.call(step('account', 3), connection, 'findAccountByQuery', values);
    expect(sim.requests.at(-1)?.headers['idempotency-key']).toBeUndefined();
    await configure({ endpoints: { ...endpoints(), createAccount: { ...endpoints().createAccount, idempotencyKey: false } } });
    await recorder.call(step('account', 4), await connectionNow(), 'createAccount', values);
    expect(sim.requests.at(-1)?.headers['idempotency-key']).toBeUndefined();
    expect(accountsNamed()).toHaveLength(3);
  });
});
