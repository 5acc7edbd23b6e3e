import { Role } from '@switchboard/auth';
import { DataverseSimulator } from '@switchboard/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './support/test-stack';

const TENANT_A = 'e2e40000-aaaa-4aaa-8aaa-00000000000a';
const TENANT_B = 'e2e40000-bbbb-4bbb-8bbb-00000000000b';
// Only the simulator's address is allow-listed (P2.5): 127.0.0.1, where the services listen, stays refused.
const SIMULATOR_HOST = '127.0.0.2';
const QUEUE_A = 'Billing Tier 1';
const KIM_LEE = '6f1d5a52-3c8e-4b0f-9a51-0c3e4b2a9d01';
const KIM_LEES_LATEST_CASE = 'a1b2c3d4-0002-4e5f-8a9b-0c1d2e3f4a02';
const ANA_SOUZA = 'c4e2f1a0-5b6d-4c8e-9f0a-1b2c3d4e5f03';

/** What the IVR gets (the fields the IVR flow reads; the tests compare whole answers). */
type DipAnswer = Record<string, unknown>;

/**
 * E4 IVR data dip, across processes: the IVR posts the caller's ANI to crm-sync (a real process), which gets an
 * Entra token and asks Dataverse (the simulator, with its sample contacts and cases) for the customer and the latest
 * case, and answers what to say, where to route and what to pop on the agent's screen.
 */
describe('E4 IVR data dip: ANI → crm-sync → Dynamics → greeting or "no case found", routing, screen pop (CS7.1–CS7.3, P1.1)', () => {
  let stack: TestStack;
  let dataverse: DataverseSimulator;

  beforeAll(async () => {
    dataverse = await DataverseSimulator.start({ host: SIMULATOR_HOST });
    stack = await startTestStack(['crm-sync'], {}, { serviceEnv: { 'crm-sync': { OUTBOUND_HTTP_ALLOW: `${SIMULATOR_HOST}/32` } } });
    const configured = await putSettings(TENANT_A, settings({ agentQueue: QUEUE_A }));
    expect(configured.status, JSON.stringify(configured.body)).toBe(200);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await dataverse?.close();
  });

  beforeEach(() => {
    dataverse.requests.length = 0;
  });

  async function call<T>(method: string, path: string, tenantId: string, roles: Role[], body?: unknown): Promise<{ status: number; body: T }> {
    const response = await stack.call('crm-sync', path, { method, tenantId, roles, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as T };
  }

  /** The Dynamics organization and its Entra app registration; a generous budget, since the machine may be loaded. */
  const settings = (overrides: Record<string, unknown> = {}) => ({
    organizationUrl: dataverse.url,
    authorityUrl: dataverse.url,
    entraTenantId: dataverse.entraTenantId,
    clientId: dataverse.clientId,
    clientSecret: 'simulated-client-secret',
    answerBudgetMs: 8_000,
    ...overrides,
  });
  const putSettings = (tenantId: string, body: unknown) => call<Record<string, unknown>>('PUT', '/crm/dynamics/settings', tenantId, [Role.Administrator], body);
  /** The IVR's request, with an agent's token as a flow holds it. */
  const dip = (ani: string, tenantId = TENANT_A) => call<DipAnswer>('POST', '/crm/dynamics/data-dip', tenantId, [Role.OmnichannelAgent], { ani });

  it('CS7.2 a caller with cases: greeting with the name and latest case, agent-or-hang-up menu, the case form as screen pop', async () => {
    const answer = await dip('+12125550123');

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      outcome: 'case_found',
      prompt: 'Hello Kim Lee. Your latest case is CAS-01002-P7Q2: Invoice shows a double charge. To speak to an agent about it, press 1. To end the call, press 2.',
      routing: { action: 'offer_agent_or_disconnect', queue: QUEUE_A },
      screenPopUrl: `${dataverse.url}/main.aspx?etn=incident&pagetype=entityrecord&id=${KIM_LEES_LATEST_CASE}`,
      customer: { contactId: KIM_LEE, fullName: 'Kim Lee' },
      case: { incidentId: KIM_LEES_LATEST_CASE, title: 'Invoice shows a double charge', ticketNumber: 'CAS-01002-P7Q2' },
    });
    // The answer came from Dynamics: the contact by phone, then that contact's cases, newest first, with a bearer token.
    const [contacts] = dataverse.requestsTo('contacts');
    const [incidents] = dataverse.requestsTo('incidents');
    expect(contacts?.query['$filter']).toContain("telephone1 eq '2125550123'");
    expect(incidents?.query).toMatchObject({ $filter: `_customerid_value eq ${KIM_LEE}`, $orderby: 'createdon desc', $top: '1' });
    expect(incidents?.headers['authorization']).toMatch(/^Bearer /);
  });

  it('CS7.1 CS7.2 the ANI without "+" (an IVR variable as Webex passes it) finds the customer stored in E.164', async () => {
    const answer = await dip('4915123456789');

    expect(answer.body).toMatchObject({ outcome: 'case_found', prompt: expect.stringMatching(/^Hello Jonas Weber\. Your latest case is CAS-01003-W4X8: Lieferung verspätet\./), routing: { queue: QUEUE_A } });
  });

  it('CS7.3 a known customer without cases: "no case found" with the name, straight to the queue, a new-case form for them', async () => {
    const answer = await dip('+16505550199');

    expect(answer.body).toEqual({
      outcome: 'no_case',
      prompt: 'Hello Ana Souza. We could not find a case for you. We are connecting you to an agent.',
      routing: { action: 'queue_to_agent', queue: QUEUE_A },
      screenPopUrl: `${dataverse.url}/main.aspx?etn=incident&pagetype=entityrecord&extraqs=${encodeURIComponent(`customerid=${ANA_SOUZA}&customeridname=Ana+Souza&customeridtype=contact`)}`,
      customer: { contactId: ANA_SOUZA, fullName: 'Ana Souza' },
    });
  });

  it('CS7.3 an unknown ANI: "no case found", straight to the queue, the plain new-case form; no case query', async () => {
    const answer = await dip('+12125550999');

    expect(answer.body).toEqual({
      outcome: 'customer_not_found',
      prompt: 'We could not find a case for you. We are connecting you to an agent.',
      routing: { action: 'queue_to_agent', queue: QUEUE_A },
      screenPopUrl: `${dataverse.url}/main.aspx?etn=incident&pagetype=entityrecord`,
    });
    expect(dataverse.requestsTo('contacts')).toHaveLength(1);
    expect(dataverse.requestsTo('incidents')).toHaveLength(0);
  });

  it('P1.1 tenant B neither reads nor changes A\'s Dynamics settings, and its dips never use them (404, then its own)', async () => {
    expect((await call('GET', '/crm/dynamics/settings', TENANT_B, [Role.Administrator])).status).toBe(404);
    expect(await dip('+12125550123', TENANT_B)).toMatchObject({ status: 404, body: { error: { code: 'DynamicsNotConfigured' } } });
    // The IVR's role may dip but not read the connection.
    expect((await call('GET', '/crm/dynamics/settings', TENANT_A, [Role.OmnichannelAgent])).status).toBe(403);

    // B's own connection, with a secret Entra refuses and another queue: B's dips fail over to B's queue; A's are untouched.
    expect((await putSettings(TENANT_B, settings({ clientSecret: 'not-the-registered-secret', agentQueue: 'B Support' }))).status).toBe(200);
    expect((await dip('+12125550123', TENANT_B)).body).toMatchObject({ outcome: 'crm_error', routing: { action: 'queue_to_agent', queue: 'B Support' } });
    expect((await dip('+12125550123')).body).toMatchObject({ outcome: 'case_found', routing: { queue: QUEUE_A } });
    const stored = await call<Record<string, unknown>>('GET', '/crm/dynamics/settings', TENANT_A, [Role.Administrator]);
    expect(stored.body).toMatchObject({ agentQueue: QUEUE_A, clientSecretSet: true });
    expect(JSON.stringify(stored.body)).not.toContain('simulated-client-secret');
  });
});
