import { Role, signBody } from '@switchboard/auth';
import { withConnection } from '@switchboard/persistence/migrate';
import { dribbleRequestHeaders } from '@switchboard/testing';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchConfiguration } from '../bench/create-request';
import { freePort } from '../stack/service-process';
import { startTestStack, TestStack } from './support/test-stack';

const TENANT = 'c0ffee00-0000-4000-8000-00000000000c';
const OTHER_TENANT = 'c0ffee00-0000-4000-8000-00000000000d';
const INGRESS_SECRET = 'hostile-input-ingress-secret-0123456789';

/** The rows a refused request must never add. */
const STORED = [
  'proactive_delivery.proactive_delivery',
  'proactive_delivery.engagement_configuration',
  'proactive_delivery.outbox_event',
  'event_bridge.adapter_event',
  'event_bridge.outbox_event',
  'event_bridge.ingress_secret',
  'event_bridge.custom_data_key',
];

interface ErrorAnswer {
  error: { code: string; message: string; details?: { field: string; message: string }[] };
}

/** A bearer token that looks right but is signed by nobody the services trust, with the `iss` given. */
async function forgedToken(iss: string): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ tid: TENANT, roles: ['Administrator'], sub: 'mallory' })
    .setProtectedHeader({ alg: 'RS256', kid: 'forged' })
    .setIssuer(iss)
    .setAudience('api://switchboard')
    .setExpirationTime(now + 600)
    .sign(privateKey);
}

/**
 * The classes of hostile input an outside probe found answered with 500 (issue 7), sent to the
 * built services running as processes: each gets a specific 4xx and nothing is stored.
 */
describe('hostile input against running services: a specific 4xx, nothing stored (issue 7, P2.1)', () => {
  let stack: TestStack;
  let configurationId: string;

  beforeAll(async () => {
    stack = await startTestStack(['proactive-delivery', 'event-bridge', 'crm-sync']);
    const secret = await send('event-bridge', 'PUT', '/admin/ingress-secret', JSON.stringify({ secret: INGRESS_SECRET }), { roles: [Role.Administrator] });
    expect(secret.status).toBe(204);
    const configuration = await send('proactive-delivery', 'POST', '/proactive/configurations', JSON.stringify(benchConfiguration()), { roles: [Role.Administrator] });
    expect(configuration.status).toBe(201);
    configurationId = ((await configuration.json()) as { id: string }).id;
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  async function send(
    service: 'proactive-delivery' | 'event-bridge' | 'crm-sync',
    method: string,
    path: string,
    body?: string,
    options: { roles?: Role[]; contentType?: string; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json', ...options.headers };
    if (options.roles) headers['authorization'] = `Bearer ${await stack.token(TENANT, options.roles)}`;
    return fetch(`${stack.url(service)}${path}`, { method, headers, ...(body !== undefined && { body: new TextEncoder().encode(body) }) });
  }

  const createDelivery = (body: string, contentType?: string) =>
    send('proactive-delivery', 'POST', '/api/data/v9.2/CCaaS_CreateProactiveVoiceDelivery', body, { roles: [Role.OmnichannelSupervisor], contentType });

  const adapterEvent = (body: string, contentType = 'application/json') =>
    send('event-bridge', 'POST', '/adapter-events', body, { contentType, headers: { 'x-switchboard-tenant': TENANT, 'x-switchboard-signature': signBody(INGRESS_SECRET, body) } });

  const delivery = (overrides: Record<string, unknown> = {}, attributes: Record<string, unknown> = {}) =>
    JSON.stringify({
      ApiVersion: '1.0',
      ProactiveEngagementConfigId: configurationId,
      DestinationPhoneNumber: '+12125550123',
      ContactId: '761e062f-c734-ef11-8e4f-00224808a166',
      InputAttributes: { type: 'callback', ...attributes },
      ...overrides,
    });

  async function storedCounts(): Promise<Record<string, number>> {
    return withConnection(stack.databaseUrl, async (client) => {
      const counts: Record<string, number> = {};
      for (const table of STORED) counts[table] = Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
      return counts;
    });
  }

  /** Sends, then checks the status, the error code, the named fields, and that nothing was stored. */
  async function expectRefused(request: () => Promise<Response>, status: number, code: string, fields?: string[]): Promise<ErrorAnswer['error']> {
    const before = await storedCounts();
    const response = await request();
    const text = await response.text();
    expect(response.status, text).toBe(status);
    const { error } = JSON.parse(text) as ErrorAnswer;
    expect(error.code, text).toBe(code);
    if (fields) expect((error.details ?? []).map((detail) => detail.field).sort(), text).toEqual([...fields].sort());
    expect(await storedCounts(), `stored something: ${text}`).toEqual(before);
    return error;
  }

  const PROTECTED: [string, 'proactive-delivery' | 'event-bridge' | 'crm-sync', string, string, string?][] = [
    ['the create API', 'proactive-delivery', 'POST', '/api/data/v9.2/CCaaS_CreateProactiveVoiceDelivery', '{}'],
    ['the delivery list', 'proactive-delivery', 'GET', '/proactive/deliveries'],
    ['the ingress secret', 'event-bridge', 'PUT', '/admin/ingress-secret', '{"secret":"x"}'],
    ['the custom-data key', 'event-bridge', 'PUT', '/admin/custom-data-key', '{"key":"x"}'],
    ['the agent-page ingress', 'event-bridge', 'POST', '/adapter-events/from-agent', '{}'],
    ['the agent events', 'crm-sync', 'GET', '/agent-events'],
  ];

  it.each(PROTECTED)('a forged token whose iss holds CR/LF or U+0100+ → 401 on %s, with a valid challenge', async (_name, service, method, path, body) => {
    for (const iss of ['https://login.example/\r\nSet-Cookie: session=stolen', 'https://lōgin.example/\u2028']) {
      const error = await expectRefused(
        async () => fetch(`${stack.url(service)}${path}`, { method, headers: { authorization: `Bearer ${await forgedToken(iss)}`, 'content-type': 'application/json' }, body }),
        401,
        'InvalidToken',
      );
      expect(error.message).toBe('The token issuer is not trusted.');
    }
    const response = await fetch(`${stack.url(service)}${path}`, { method, headers: { authorization: `Bearer ${await forgedToken('\r\n')}`, 'content-type': 'application/json' }, body });
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="switchboard", error="invalid_token", error_description="The token issuer is not trusted."');
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('a NUL character in a string field → 400 naming the field (text and jsonb columns alike)', async () => {
    await expectRefused(() => createDelivery(delivery({ ContactId: '761e062f-c734-ef11-8e4f-00224808a16\u0000' })), 400, 'BadRequest', ['ContactId']);
    await expectRefused(() => createDelivery(delivery({}, { note: 'call\u0000me' })), 400, 'BadRequest', ['InputAttributes.note']);
    const namedConfiguration = JSON.stringify({ ...benchConfiguration(), name: 'Spring\u0000campaign' });
    await expectRefused(() => send('proactive-delivery', 'POST', '/proactive/configurations', namedConfiguration, { roles: [Role.Administrator] }), 400, 'BadRequest', ['name']);
    await expectRefused(() => adapterEvent(JSON.stringify({ type: 'New_Call', data: { call_id: 'c-1', note: '\u0000' } })), 400, 'BadRequest', ['data.note']);
  });

  it('a NUL character in a query parameter → 400 naming the parameter', async () => {
    await expectRefused(() => send('proactive-delivery', 'GET', '/proactive/deliveries?contactId=%00', undefined, { roles: [Role.OmnichannelSupervisor] }), 400, 'BadRequest', ['contactId']);
    await expectRefused(() => send('crm-sync', 'GET', '/agent-events?sessionId=call%00', undefined, { roles: [Role.OmnichannelAgent] }), 400, 'BadRequest', ['sessionId']);
  });

  it('a lone surrogate in JSON stored as jsonb → 400 naming the field', async () => {
    await expectRefused(() => createDelivery(delivery({}, { note: '\ud800' })), 400, 'BadRequest', ['InputAttributes.note']);
    await expectRefused(() => adapterEvent(JSON.stringify({ type: 'New_Call', data: { call_id: 'c-2', text: 'a\udc00b' } })), 400, 'BadRequest', ['data.text']);
  });

  it('event-bridge: a call_id or agent_id longer than the CloudEvent can carry → 400 naming it', async () => {
    await expectRefused(() => adapterEvent(JSON.stringify({ type: 'New_Call', data: { call_id: 'c'.repeat(501) } })), 400, 'BadRequest', ['data.call_id']);
    await expectRefused(() => adapterEvent(JSON.stringify({ type: 'Agent_Login', data: { agent_id: 'a'.repeat(201) } })), 400, 'BadRequest', ['data.agent_id']);
  });

  it('event-bridge: data nested 3 000 levels deep → 400 at parse time, and the service keeps answering', async () => {
    const deep = `{"type":"New_Call","data":{"call_id":"c-3","x":${'['.repeat(3_000)}${']'.repeat(3_000)}}}`;
    const error = await expectRefused(() => adapterEvent(deep), 400, 'BadRequest', ['data']);
    expect(error.message).toContain('must not be nested more than 64 levels deep');
    expect((await fetch(`${stack.url('event-bridge')}/health/live`)).status).toBe(200);
  });

  it('__proto__ keys are refused, not silently dropped, where unknown fields are refused', async () => {
    await expectRefused(() => createDelivery(delivery().replace('"InputAttributes":{', '"InputAttributes":{"__proto__":{"x":1},')), 400, 'BadRequest', ['InputAttributes']);
    await expectRefused(() => send('event-bridge', 'PUT', '/admin/ingress-secret', `{"secret":"${INGRESS_SECRET}-2","__proto__":{"admin":true}}`, { roles: [Role.Administrator] }), 400, 'BadRequest', ['(root)']);
    await expectRefused(() => adapterEvent('{"type":"New_Call","data":{"call_id":"c-4","constructor":{"prototype":{}}}}'), 400, 'BadRequest', ['data']);
  });

  it('form-encoded bodies → 415 on every JSON endpoint', async () => {
    const form = 'ApiVersion=1.0&secret=x&type=New_Call';
    const formType = 'application/x-www-form-urlencoded';
    await expectRefused(() => createDelivery(form, formType), 415, 'UnsupportedMediaType');
    await expectRefused(() => send('proactive-delivery', 'POST', '/proactive/configurations', form, { roles: [Role.Administrator], contentType: formType }), 415, 'UnsupportedMediaType');
    await expectRefused(() => send('proactive-delivery', 'POST', '/proactive/do-not-call', form, { roles: [Role.Administrator], contentType: formType }), 415, 'UnsupportedMediaType');
    await expectRefused(() => send('event-bridge', 'PUT', '/admin/ingress-secret', form, { roles: [Role.Administrator], contentType: formType }), 415, 'UnsupportedMediaType');
    await expectRefused(() => adapterEvent(form, formType), 415, 'UnsupportedMediaType');
  });

  it('the security headers are on API answers', async () => {
    const response = await send('proactive-delivery', 'GET', '/proactive/deliveries', undefined, { roles: [Role.OmnichannelSupervisor] });

    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      'content-security-policy': expect.stringContaining("default-src 'none'"),
    });
  });
});

/**
 * The limits of a running service, configured through its environment: rate budgets (the client
 * address taken from X-Forwarded-For, so each test is its own client), slow-client timeouts and
 * the separate metrics port.
 */
describe('limits of a running service: 429, slow clients, metrics port (issue 7, P2.3, P4.1)', () => {
  let stack: TestStack;
  let metricsPort: number;

  beforeAll(async () => {
    metricsPort = await freePort();
    stack = await startTestStack(['crm-sync'], {
      HTTP_TRUST_PROXY: 'true',
      RATE_LIMIT_PER_ADDRESS: '100/1m',
      RATE_LIMIT_FAILED_AUTH_PER_ADDRESS: '3/1m',
      RATE_LIMIT_PER_TENANT: '3/1m',
      HTTP_HEADERS_TIMEOUT_MS: '1000',
      HTTP_REQUEST_TIMEOUT_MS: '2000',
      METRICS_PORT: String(metricsPort),
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const get = (path: string, client: string, token?: string) =>
    fetch(`${stack.url('crm-sync')}${path}`, { headers: { 'x-forwarded-for': client, ...(token && { authorization: `Bearer ${token}` }) } });

  async function expectTooMany(response: Response, message: RegExp): Promise<void> {
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await response.json()) as ErrorAnswer).error).toEqual({ code: 'TooManyRequests', message: expect.stringMatching(message) });
  }

  it('P2.3 one client address past its budget → 429 with Retry-After; another address is still served', async () => {
    const statuses: number[] = [];
    // The budget refills while the loop runs (100 a minute), so the refusal may come a little after 100.
    while (statuses.length < 150 && statuses.at(-1) !== 429) statuses.push((await get('/health/live', '203.0.113.1')).status);

    expect(statuses.slice(0, 100).every((status) => status === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    await expectTooMany(await get('/health/live', '203.0.113.1'), /^Too many requests from this address/);
    expect((await get('/health/live', '203.0.113.2')).status).toBe(200);
  });

  it('P2.3 failed authentications have a tighter budget: after 3 the address gets 429 even with a valid token', async () => {
    const valid = await stack.token(TENANT, [Role.OmnichannelAgent]);
    for (let i = 0; i < 3; i++) expect((await get('/agent-events', '198.51.100.7', 'not-a-token')).status).toBe(401);

    await expectTooMany(await get('/agent-events', '198.51.100.7', 'not-a-token'), /^Too many failed authentications/);
    await expectTooMany(await get('/agent-events', '198.51.100.7', valid), /^Too many failed authentications/);
  });

  it('P2.3 a tenant past its budget → 429; another tenant is still served', async () => {
    const token = await stack.token(TENANT, [Role.OmnichannelAgent]);
    for (let i = 0; i < 3; i++) expect((await get('/agent-events', '192.0.2.10', token)).status).toBe(200);

    await expectTooMany(await get('/agent-events', '192.0.2.11', token), /^Too many requests for this tenant/);
    expect((await get('/agent-events', '192.0.2.12', await stack.token(OTHER_TENANT, [Role.OmnichannelAgent]))).status).toBe(200);
  });

  it('slow clients: 200 connections sending headers byte by byte are all closed by the server', async () => {
    const port = Number(new URL(stack.url('crm-sync')).port);

    const outcomes = await Promise.all(Array.from({ length: 200 }, () => dribbleRequestHeaders(port, 50)));

    expect(outcomes.filter((outcome) => !outcome.closedWhileSending)).toEqual([]);
    // The server answers 408 before closing; a client still sending may get a reset that drops it.
    expect(outcomes.some((outcome) => outcome.received.startsWith('HTTP/1.1 408 '))).toBe(true);
    expect(outcomes.filter((outcome) => outcome.received !== '' && !outcome.received.startsWith('HTTP/1.1 408 '))).toEqual([]);
  });

  it('P4.1 /metrics is served on METRICS_PORT only', async () => {
    const scrape = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(scrape.status).toBe(200);
    expect(await scrape.text()).toContain('http_request_duration_seconds');

    expect((await get('/metrics', '192.0.2.99')).status).toBe(404);
  });
});
