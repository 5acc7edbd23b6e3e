import { Role } from '@switchboard/auth';
import { DataverseSimulator } from '@switchboard/testing';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CrmSyncTestApp, startCrmSyncTestApp } from '../test-support/crm-sync-test-app';

// The simulator listens on 127.0.0.2 and only that address is allow-listed (P2.5): 127.0.0.1, where
// a "private" server listens, stays refused.
const SIMULATOR_HOST = '127.0.0.2';
const TENANT_A = '3a7c1e52-6b0d-4f8e-9a21-5c4d3e2f1a0b';
const TENANT_B = '8d2f4a61-0c9e-4b7d-8e12-6f5a4b3c2d1e';
const ADMIN = [Role.Administrator];
const IVR = [Role.OmnichannelAgent];

interface Answer {
  outcome: string;
  prompt: string;
  routing: { action: string; queue: string };
  screenPopUrl: string;
  customer?: { contactId: string; fullName: string };
  case?: { incidentId: string; title: string; ticketNumber: string };
  retryAfterSeconds?: number;
}

describe('Dynamics IVR data dip against the Dataverse + Entra simulator (CS7, P2.5)', () => {
  let app: CrmSyncTestApp;
  let sim: DataverseSimulator;
  let privateServer: Server;
  let privateHits = 0;

  const settingsFor = (overrides: Record<string, unknown> = {}) => ({
    organizationUrl: sim.url,
    authorityUrl: sim.url,
    entraTenantId: sim.entraTenantId,
    clientId: sim.clientId,
    clientSecret: 'simulated-client-secret',
    ...overrides,
  });
  const putSettings = (tenantId: string, body: unknown) => app.call('/crm/dynamics/settings', { method: 'PUT', tenantId, roles: ADMIN, body: JSON.stringify(body) });
  const dip = async (ani: string, tenantId = TENANT_A) => {
    const response = await app.call('/crm/dynamics/data-dip', { method: 'POST', tenantId, roles: IVR, body: JSON.stringify({ ani }) });
    expect(response.status).toBe(200);
    return (await response.json()) as Answer;
  };

  beforeAll(async () => {
    sim = await DataverseSimulator.start({ host: SIMULATOR_HOST });
    privateServer = createServer((_request, response) => {
      privateHits++;
      response.end('{"value":[]}');
    });
    await new Promise<void>((resolve) => privateServer.listen(0, '127.0.0.1', resolve));
    app = await startCrmSyncTestApp({ OUTBOUND_HTTP_ALLOW: `${SIMULATOR_HOST}/32` });
    expect((await putSettings(TENANT_A, settingsFor())).status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await sim?.close();
    privateServer?.close();
  });

  beforeEach(() => {
    sim.clearFaults();
    sim.requests.length = 0;
  });

  it('CS7.1 CS7.2 a known caller with cases: OAuth token, contact by phone, latest case → personalised greeting, menu, case form', async () => {
    const answer = await dip('+12125550123');

    expect(answer).toEqual({
      outcome: 'case_found',
      prompt: 'Hello Kim Lee. Your latest case is CAS-01002-P7Q2: Invoice shows a double charge. To speak to an agent about it, press 1. To end the call, press 2.',
      routing: { action: 'offer_agent_or_disconnect', queue: 'Customer Service' },
      screenPopUrl: `${sim.url}/main.aspx?etn=incident&pagetype=entityrecord&id=a1b2c3d4-0002-4e5f-8a9b-0c1d2e3f4a02`,
      customer: { contactId: '6f1d5a52-3c8e-4b0f-9a51-0c3e4b2a9d01', fullName: 'Kim Lee' },
      case: { incidentId: 'a1b2c3d4-0002-4e5f-8a9b-0c1d2e3f4a02', title: 'Invoice shows a double charge', ticketNumber: 'CAS-01002-P7Q2' },
    });
    const [contacts] = sim.requestsTo('contacts');
    expect(contacts?.query).toEqual({
      $select: 'fullname,contactid',
      $filter: "telephone1 eq '2125550123' or mobilephone eq '2125550123' or telephone1 eq '+12125550123' or mobilephone eq '+12125550123'",
      $top: '1',
    });
    expect(contacts?.headers).toMatchObject({ 'odata-maxversion': '4.0', 'odata-version': '4.0', accept: 'application/json', prefer: expect.stringContaining('odata.include-annotations') });
    expect(sim.requestsTo('incidents')[0]?.query).toEqual({
      $select: 'title,ticketnumber,incidentid',
      $filter: '_customerid_value eq 6f1d5a52-3c8e-4b0f-9a51-0c3e4b2a9d01',
      $orderby: 'createdon desc',
      $top: '1',
    });
  });

  it('CS7.1 the token is a client-credentials token for <org>/.default, cached across dips, and requested once under concurrency', async () => {
    // New settings (same values) → a new connection version, so the next dips need a new token.
    expect((await putSettings(TENANT_A, settingsFor())).status).toBe(200);
    const answers = await Promise.all(Array.from({ length: 8 }, () => dip('+12125550123')));
    await dip('+16505550199');

    expect(answers.map((answer) => answer.outcome)).toEqual(Array(8).fill('case_found'));
    const tokenRequests = sim.requestsTo('token');
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0]?.path).toBe(`/${sim.entraTenantId}/oauth2/v2.0/token`);
    expect(tokenRequests[0]?.form).toEqual({ client_id: sim.clientId, client_secret: '<redacted>', grant_type: 'client_credentials', scope: `${sim.url}/.default` });
    expect(sim.requestsTo('contacts')).toHaveLength(9);
  });

  it('CS7.1 the ANI without "+" finds a number stored in E.164 (the "+" is percent-encoded in $filter)', async () => {
    const answer = await dip('4915123456789');

    expect(answer).toMatchObject({ outcome: 'case_found', customer: { fullName: 'Jonas Weber' }, case: { ticketNumber: 'CAS-01003-W4X8' } });
  });

  it('CS7.3 a known customer without cases: "no case found" with their name, straight to an agent, new-case form for them', async () => {
    const answer = await dip('+1 650 555 0199');

    expect(answer.outcome).toBe('no_case');
    expect(answer.prompt).toBe('Hello Ana Souza. We could not find a case for you. We are connecting you to an agent.');
    expect(answer.routing).toEqual({ action: 'queue_to_agent', queue: 'Customer Service' });
    const popUp = new URL(answer.screenPopUrl);
    expect(popUp.pathname).toBe('/main.aspx');
    expect(Object.fromEntries(popUp.searchParams)).toEqual({
      etn: 'incident',
      pagetype: 'entityrecord',
      extraqs: 'customerid=c4e2f1a0-5b6d-4c8e-9f0a-1b2c3d4e5f03&customeridname=Ana+Souza&customeridtype=contact',
    });
  });

  it('CS7.3 an unknown caller: "no case found", routed to an agent, the plain new-case form; no case query made', async () => {
    const answer = await dip('+12125550999');

    expect(answer).toEqual({
      outcome: 'customer_not_found',
      prompt: 'We could not find a case for you. We are connecting you to an agent.',
      routing: { action: 'queue_to_agent', queue: 'Customer Service' },
      screenPopUrl: `${sim.url}/main.aspx?etn=incident&pagetype=entityrecord`,
    });
    expect(sim.requestsTo('incidents')).toHaveLength(0);
  });

  it('CS7.3 Dynamics slower than the answer budget: crm_timeout, routed to an agent (the slow answer is not awaited)', async () => {
    expect((await putSettings(TENANT_A, settingsFor({ answerBudgetMs: 400 }))).status).toBe(200);
    sim.fail({ target: 'incidents', delayMs: 5_000 });

    const answer = await dip('+12125550123');

    expect(answer).toMatchObject({ outcome: 'crm_timeout', routing: { action: 'queue_to_agent', queue: 'Customer Service' }, screenPopUrl: `${sim.url}/main.aspx?etn=incident&pagetype=entityrecord` });
    expect((await putSettings(TENANT_A, settingsFor())).status).toBe(200);
  });

  it('CS7.3 a 5xx from Dataverse and an error from the token endpoint: crm_error, routed to an agent', async () => {
    sim.fail({ target: 'incidents', status: 503 });
    expect(await dip('+12125550123')).toMatchObject({ outcome: 'crm_error', routing: { action: 'queue_to_agent' } });

    expect((await putSettings(TENANT_A, settingsFor({ answerBudgetMs: 1_999 }))).status).toBe(200);
    sim.fail({ target: 'token', status: 500 });
    expect(await dip('+12125550123')).toMatchObject({ outcome: 'crm_error', routing: { action: 'queue_to_agent' } });
  });

  it('CS7.1 a token Dataverse no longer accepts (401) is replaced once, and the dip still succeeds', async () => {
    await dip('+12125550123');
    sim.requests.length = 0;
    sim.revokeTokens();

    expect((await dip('+12125550123')).outcome).toBe('case_found');
    expect(sim.requestsTo('token')).toHaveLength(1);
    expect(sim.requestsTo('contacts').map((request) => request.status)).toEqual([401, 200]);
  });

  it('CS7.3 429 with Retry-After: crm_throttled with the pause, and further dips skip Dynamics until it has passed', async () => {
    expect((await putSettings(TENANT_B, settingsFor())).status).toBe(200);
    sim.fail({ target: 'contacts', status: 429, retryAfterSeconds: 120 });

    const first = await dip('+12125550123', TENANT_B);
    const calls = sim.requests.length;
    const second = await dip('+12125550123', TENANT_B);

    expect(first).toMatchObject({ outcome: 'crm_throttled', retryAfterSeconds: 120, routing: { action: 'queue_to_agent' } });
    expect(second.outcome).toBe('crm_throttled');
    expect(second.retryAfterSeconds).toBeGreaterThan(0);
    expect(sim.requests.length).toBe(calls);
    // Tenant isolation (P1.1): A is not throttled by B's 429.
    expect((await dip('+12125550123', TENANT_A)).outcome).toBe('case_found');
  });

  it('P2.5 a Dataverse redirect to a private host is refused (crm_error) and the private host is never called', async () => {
    const port = (privateServer.address() as AddressInfo).port;
    sim.fail({ target: 'contacts', status: 302, location: `http://127.0.0.1:${port}/api/data/v9.2/contacts` });

    expect(await dip('+12125550123')).toMatchObject({ outcome: 'crm_error', routing: { action: 'queue_to_agent' } });
    expect(privateHits).toBe(0);
  });

  it('P2.5 an answer larger than the cap is refused (crm_error)', async () => {
    sim.fail({ target: 'contacts', bodyBytes: 2 * 1024 * 1024 });

    expect((await dip('+12125550123')).outcome).toBe('crm_error');
  });

  it.each([
    ['no ANI', {}, 'ani'],
    ['a word', { ani: 'anonymous' }, 'ani'],
    ['OData injection', { ani: "2125550123' or fullname ne '" }, 'ani'],
    ['too short', { ani: '+1' }, 'ani'],
    ['too long', { ani: `+1${'2'.repeat(40)}` }, 'ani'],
    ['a number', { ani: 12125550123 }, 'ani'],
    ['an unknown field', { ani: '+12125550123', callerName: 'x' }, 'callerName'],
  ])('CS7.1 P2.1 %s → 400 naming %s, Dynamics not called', async (_case, body, field) => {
    const response = await app.call('/crm/dynamics/data-dip', { method: 'POST', tenantId: TENANT_A, roles: IVR, body: JSON.stringify(body) });

    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { details: { field: string }[] } };
    expect(error.details.map((detail) => detail.field)).toContain(field);
    expect(sim.requests).toHaveLength(0);
  });

  it('P1.1 P1.3 the dip needs a token (401); a tenant without settings gets 404 DynamicsNotConfigured', async () => {
    const anonymous = await fetch(`${app.url}/crm/dynamics/data-dip`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"ani":"+12125550123"}' });
    const unconfigured = await app.call('/crm/dynamics/data-dip', { method: 'POST', tenantId: '0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b', roles: IVR, body: '{"ani":"+12125550123"}' });

    expect(anonymous.status).toBe(401);
    expect(unconfigured.status).toBe(404);
    expect(((await unconfigured.json()) as { error: { code: string } }).error.code).toBe('DynamicsNotConfigured');
    expect(sim.requests).toHaveLength(0);
  });
});
