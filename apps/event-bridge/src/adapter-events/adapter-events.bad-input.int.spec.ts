import { mintDevToken, generateDevKeys, Role, signBody } from '@switchboard/auth';
import { type ExpectedRefusal, itRefusesEveryRow } from '@switchboard/platform/test-support';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBridgeTestApp, startEventBridgeTestApp } from '../test-support/test-app';

const TENANT_A = randomUUID();
const TENANT_B = randomUUID();
const UNKNOWN_TENANT = randomUUID();
const SECRET_A = `tenant-a-secret-${randomUUID()}`;
const SECRET_B = `tenant-b-secret-${randomUUID()}`;
const SIGNED = '/adapter-events';
const BATCH = '/adapter-events/batch';
const FROM_AGENT = '/adapter-events/from-agent';

type Json = Record<string, unknown> | unknown[];

interface Context {
  app: EventBridgeTestApp;
  now: number;
}

interface BadInputRow extends ExpectedRefusal {
  path?: string;
  /** Objects are sent as JSON; strings byte for byte. */
  body: Json | string;
  /**
   * How the request is authenticated; default: signed by tenant A at the current time. A function
   * gets the exact body and returns the headers to send instead.
   */
  auth?: (body: string, context: Context) => Promise<Record<string, string>> | Record<string, string>;
  headers?: Record<string, string>;
}

const signed = (tenant: string, secret: string, offsetSec = 0) => (body: string, { now }: Context) => ({
  'x-switchboard-tenant': tenant,
  'x-switchboard-signature': signBody(secret, body, now + offsetSec),
});
const agentToken = (roles: Role[], tenant = TENANT_A) => async (_body: string, { app }: Context) => ({ authorization: `Bearer ${await app.token(tenant, roles, 'agent-7')}` });

const newCall = (data: Record<string, unknown> = {}) => ({ type: 'New_Call', data: { call_id: 'call-1', agent_id: 1, ...data } });
const validJson = JSON.stringify(newCall());
const deep = (levels: number) => `{"type":"New_Call","data":{"call_id":1,"nested":${'['.repeat(levels)}${']'.repeat(levels)}}}`;

const ROWS: BadInputRow[] = [
  // --- signatures and tenants (P1.4, P1.1) ---
  { name: 'P1.4 no signature header', body: newCall(), auth: () => ({ 'x-switchboard-tenant': TENANT_A }), status: 401, code: 'InvalidSignature', message: /header is required/ },
  { name: 'P1.4 an empty signature header', body: newCall(), auth: () => ({ 'x-switchboard-tenant': TENANT_A, 'x-switchboard-signature': '' }), status: 401, code: 'InvalidSignature' },
  { name: 'P1.4 a signature header without v1', body: newCall(), auth: (_b, { now }) => ({ 'x-switchboard-tenant': TENANT_A, 'x-switchboard-signature': `t=${now}` }), status: 401, code: 'InvalidSignature', message: /must look like/ },
  { name: 'P1.4 a signature header with a short v1', body: newCall(), auth: (_b, { now }) => ({ 'x-switchboard-tenant': TENANT_A, 'x-switchboard-signature': `t=${now},v1=abcdef` }), status: 401, code: 'InvalidSignature' },
  { name: 'P1.4 a signature of another body', body: newCall(), auth: (_b, context) => signed(TENANT_A, SECRET_A)(JSON.stringify(newCall({ call_id: 'call-2' })), context), status: 401, code: 'InvalidSignature', message: /does not match/ },
  { name: 'P1.4 a signature with a wrong secret', body: newCall(), auth: signed(TENANT_A, 'not-the-secret-of-tenant-a-at-all-0000'), status: 401, code: 'InvalidSignature' },
  { name: "P1.1 tenant B's secret signing for tenant A", body: newCall(), auth: signed(TENANT_A, SECRET_B), status: 401, code: 'InvalidSignature' },
  { name: 'P1.1 a tenant without an ingress secret', body: newCall(), auth: signed(UNKNOWN_TENANT, SECRET_A), status: 401, code: 'InvalidSignature', message: /does not match/ },
  { name: 'P1.4 no tenant header', body: newCall(), auth: (body, context) => ({ 'x-switchboard-signature': signed(TENANT_A, SECRET_A)(body, context)['x-switchboard-signature'] }), status: 401, code: 'InvalidSignature', message: /X-Switchboard-Tenant/ },
  { name: 'P1.4 a tenant header that is not a GUID', body: newCall(), auth: (body, context) => ({ ...signed(TENANT_A, SECRET_A)(body, context), 'x-switchboard-tenant': 'tenant-a' }), status: 401, code: 'InvalidSignature', message: /GUID/ },
  { name: 'P1.4 a signature 301 seconds old (outside ±300 s)', body: newCall(), auth: signed(TENANT_A, SECRET_A, -301), status: 401, code: 'StaleSignature', message: /300 seconds/ },
  { name: 'P1.4 a request captured an hour ago and replayed', body: newCall(), auth: signed(TENANT_A, SECRET_A, -3_600), status: 401, code: 'StaleSignature' },
  { name: 'P1.4 a signature dated 10 minutes ahead', body: newCall(), auth: signed(TENANT_A, SECRET_A, 600), status: 401, code: 'StaleSignature' },
  { name: 'P1.4 a bearer token instead of a signature', body: newCall(), auth: agentToken([Role.Administrator]), status: 401, code: 'InvalidSignature' },
  { name: "P1.1 a batch signed with tenant B's secret for tenant A", path: BATCH, body: [newCall()], auth: signed(TENANT_A, SECRET_B), status: 401, code: 'InvalidSignature' },

  // --- the event (EB1.1, EB1.2, EB1.3) ---
  { name: 'EB1.1 type as a number', body: { type: 7, data: { call_id: 1 } }, status: 400, code: 'BadRequest', fields: ['type'], message: /type must be a string, not a number/ },
  { name: 'EB1.1 type missing', body: { data: { call_id: 1 } }, status: 400, code: 'BadRequest', fields: ['type'] },
  { name: 'EB1.1 data missing', body: { type: 'New_Call' }, status: 400, code: 'BadRequest', fields: ['data'] },
  { name: 'EB1.1 data as a string', body: { type: 'New_Call', data: 'call_id=1' }, status: 400, code: 'BadRequest', fields: ['data'] },
  { name: 'EB1.1 data as an array', body: { type: 'New_Call', data: [{ call_id: 1 }] }, status: 400, code: 'BadRequest', fields: ['data'] },
  { name: 'EB1.1 a field next to type and data', body: { ...newCall(), priority: 'high' }, status: 400, code: 'BadRequest' },
  { name: 'EB1.1 a type name with markup', body: { type: '<img src=x>', data: { call_id: 1 } }, status: 400, code: 'BadRequest', fields: ['type'] },
  { name: 'EB2.2 a sender id with a space', body: { id: 'order 1', ...newCall() }, status: 400, code: 'BadRequest', fields: ['id'] },
  { name: 'EB1.3 call_id as true', body: newCall({ call_id: true }), status: 400, code: 'BadRequest', fields: ['data.call_id'] },
  { name: 'EB1.3 agent_id as an object', body: newCall({ agent_id: { id: 1 } }), status: 400, code: 'BadRequest', fields: ['data.agent_id'] },
  { name: 'EB1.3 queue_id negative', body: newCall({ queue_id: -5 }), status: 400, code: 'BadRequest', fields: ['data.queue_id'] },
  { name: 'EB1.3 queue_id fractional', body: newCall({ queue_id: 1.5 }), status: 400, code: 'BadRequest', fields: ['data.queue_id'] },
  { name: 'EB2.1 New_Call without call_id', body: { type: 'New_Call', data: { chat_id: 5, agent_id: 1 } }, status: 400, code: 'BadRequest', fields: ['data.call_id'], message: /is required for New_Call events/ },
  { name: 'EB2.1 an unknown type naming no session', body: { type: 'Hold_Started', data: { queue_id: 1 } }, status: 400, code: 'BadRequest', fields: ['data.call_id'] },
  { name: 'EB1.3 remote control state "maybe"', body: { type: 'Cobrowse_Session_Remote_Control_Changed', data: { cobrowse_session_id: 'c', cobrowse_session_remote_control: 'maybe' } }, status: 400, code: 'BadRequest', fields: ['data.cobrowse_session_remote_control'], message: /"off", "requested", "rejected", "on"/ },
  { name: 'EB1.3 ended by "system"', body: { type: 'Cobrowse_Session_Ended', data: { cobrowse_session_id: 'c', cobrowse_session_ended_by: 'system' } }, status: 400, code: 'BadRequest', fields: ['data.cobrowse_session_ended_by'] },
  { name: 'EB1.3 participant type "bot"', body: { type: 'Party_Added', data: { call_id: 1, type: 'bot' } }, status: 400, code: 'BadRequest', fields: ['data.type'] },
  { name: 'EB1.3 message as an object', body: { type: 'Chat_Inbound_Message', data: { chat_id: 1, message: { text: 'hi' } } }, status: 400, code: 'BadRequest', fields: ['data.message'] },
  { name: 'EB1.3 va_data_parameters as a string', body: newCall({ va_data_parameters: 'lang=en' }), status: 400, code: 'BadRequest', fields: ['data.va_data_parameters'] },
  { name: 'EB1.3 custom_data_secured as an object', body: newCall({ custom_data_secured: { plan: 'gold' } }), status: 400, code: 'BadRequest', fields: ['data.custom_data_secured'] },
  { name: 'EB3.2 a javascript: recordUrl', body: { type: 'CRM_Record_Pop', data: { agent_id: 1, recordUrl: 'javascript:alert(document.cookie)' } }, status: 400, code: 'BadRequest', fields: ['data.recordUrl'] },
  { name: 'P2.3 a call_id of 201 characters', body: newCall({ call_id: 'c'.repeat(201) }), status: 400, code: 'BadRequest', fields: ['data.call_id'] },
  { name: 'P2.3 a message of 20 001 characters', body: { type: 'Chat_Inbound_Message', data: { chat_id: 1, message: 'm'.repeat(20_001) } }, status: 400, code: 'BadRequest', fields: ['data.message'] },

  // --- whole bodies (P2.1, P2.3) ---
  { name: 'P2.3 a 1 MB string', body: newCall({ message: 'x'.repeat(1024 * 1024) }), status: 413, code: 'PayloadTooLarge' },
  { name: 'P2.3 3,000 levels of nesting', body: deep(3_000), status: 400, code: 'BadRequest', fields: ['data'], message: /nested more than 64 levels/ },
  { name: 'P2.1 a NUL character in a value', body: validJson.replace('call-1', 'call\\u00001'), status: 400, code: 'BadRequest', fields: ['data.call_id'], message: /NUL/ },
  { name: 'P2.1 a NUL character in a key', body: validJson.replace('"agent_id"', '"agent\\u0000id"'), status: 400, code: 'BadRequest', fields: ['data'] },
  { name: 'P2.1 a lone surrogate', body: validJson.replace('call-1', 'call-\\ud800'), status: 400, code: 'BadRequest', fields: ['data.call_id'], message: /surrogate/ },
  { name: 'P2.1 a __proto__ key', body: validJson.replace('"agent_id"', '"__proto__"'), status: 400, code: 'BadRequest', fields: ['data'], message: /__proto__/ },
  { name: 'P2.1 a constructor key', body: validJson.replace('"agent_id"', '"constructor"'), status: 400, code: 'BadRequest', fields: ['data'] },
  { name: 'EB1.5 a trailing comma', body: validJson.replace(/}}$/, ',}}'), status: 400, code: 'BadRequest', message: /^Malformed JSON at line 1, column \d+/ },
  { name: 'EB1.5 a missing comma', body: '{"type":"New_Call" "data":{"call_id":1}}', status: 400, code: 'BadRequest', message: /^Malformed JSON at line 1, column 20/ },
  { name: 'EB1.5 truncated JSON', body: validJson.slice(0, 30), status: 400, code: 'BadRequest', message: /^Malformed JSON at line 1, column 31/ },
  { name: 'P2.1 a JSON null body', body: 'null', status: 400, code: 'BadRequest', message: /^Malformed JSON/ },
  { name: 'EB1.1 an array on the single-event endpoint', body: [newCall()], status: 400, code: 'BadRequest' },
  { name: 'P2.1 an empty body', body: '', status: 400, code: 'BadRequest', fields: ['type', 'data'] },
  { name: 'P2.1 a form-encoded body', body: 'type=New_Call&data[call_id]=1', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'UnsupportedMediaType' },
  { name: 'P2.1 text/plain', body: validJson, headers: { 'content-type': 'text/plain' }, status: 415, code: 'UnsupportedMediaType' },
  { name: 'P2.1 JSON in latin1', body: validJson, headers: { 'content-type': 'application/json; charset=latin1' }, status: 415, code: 'UnsupportedMediaType' },
  { name: 'P2.1 a gzip content encoding', body: validJson, headers: { 'content-encoding': 'gzip' }, status: 415, code: 'UnsupportedMediaType' },

  // --- batches (EB1.1 b) ---
  { name: 'EB1.1 501 events in a batch', path: BATCH, body: Array.from({ length: 501 }, (_, i) => newCall({ call_id: `c-${i}` })), status: 413, code: 'TooManyEvents', message: /at most 500 events; this one has 501/ },
  { name: 'EB1.1 a batch that is an object', path: BATCH, body: { events: [newCall()] }, status: 400, code: 'BadRequest', fields: ['(root)'] },
  { name: 'EB1.1 an empty batch', path: BATCH, body: [], status: 400, code: 'BadRequest', fields: ['(root)'] },

  // --- the agent page (EB1.1 a, P1.2, P1.3) ---
  { name: 'P1.2 an agent post without a token', path: FROM_AGENT, body: newCall(), auth: () => ({}), status: 401, code: 'MissingToken' },
  { name: 'P1.2 an agent post with a token that is not a JWT', path: FROM_AGENT, body: newCall(), auth: () => ({ authorization: 'Bearer not-a-jwt' }), status: 401, code: 'InvalidToken' },
  {
    name: 'P1.2 an agent token signed by a key the service does not trust',
    path: FROM_AGENT,
    body: newCall(),
    auth: async () => ({ authorization: `Bearer ${await mintDevToken({ tenantId: TENANT_A, roles: [Role.OmnichannelAgent], keys: await generateDevKeys() })}` }),
    status: 401,
    code: 'InvalidToken',
  },
  { name: 'P1.2 an HMAC signature on the agent endpoint', path: FROM_AGENT, body: newCall(), auth: signed(TENANT_A, SECRET_A), status: 401, code: 'MissingToken' },
  { name: 'P1.3 a supervisor token on the agent endpoint', path: FROM_AGENT, body: newCall(), auth: agentToken([Role.OmnichannelSupervisor]), status: 403, code: 'Forbidden' },
  { name: 'P1.3 a token without roles on the agent endpoint', path: FROM_AGENT, body: newCall(), auth: agentToken([]), status: 403, code: 'Forbidden' },
  { name: 'EB1.1 a queue of 51 events from an agent page', path: FROM_AGENT, body: Array.from({ length: 51 }, (_, i) => newCall({ call_id: `c-${i}` })), auth: agentToken([Role.OmnichannelAgent]), status: 413, code: 'TooManyEvents' },
  { name: 'EB1.3 a bad event from an agent page', path: FROM_AGENT, body: newCall({ call_id: false }), auth: agentToken([Role.OmnichannelAgent]), status: 400, code: 'BadRequest', fields: ['data.call_id'] },
];

describe('adapter-event ingress refuses bad input with a specific 4xx, storing and publishing nothing (EB1, P1.1, P1.4, P2.1–P2.3)', () => {
  let app: EventBridgeTestApp;

  beforeAll(async () => {
    // Every row below answers 401 at most once; the failed-authentication budget must not turn them into 429s.
    app = await startEventBridgeTestApp({ RATE_LIMIT_FAILED_AUTH_PER_ADDRESS: 'off' });
    await app.setSecret(TENANT_A, 'ingress-secret', { secret: SECRET_A });
    await app.setSecret(TENANT_B, 'ingress-secret', { secret: SECRET_B });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  async function send(row: BadInputRow): Promise<Response> {
    const body = typeof row.body === 'string' ? row.body : JSON.stringify(row.body);
    const auth = await (row.auth ?? signed(TENANT_A, SECRET_A))(body, { app, now: Math.floor(Date.now() / 1000) });
    const headers: Record<string, string> = { 'content-type': 'application/json', ...auth, ...row.headers };
    return fetch(`${app.url}${row.path ?? SIGNED}`, { method: 'POST', headers, body: new TextEncoder().encode(body) });
  }

  const stored = async () => ({ events: await app.prisma.adapterEvent.count(), outbox: (await app.outbox()).length });

  itRefusesEveryRow(ROWS, send, stored);

  // Last, because they store events: the rows fail only for what each one breaks.
  it('EB1.1 the unbroken requests the rows start from are accepted', async () => {
    expect((await send({ name: 'control', body: newCall(), status: 202, code: '' })).status).toBe(202);
    expect((await send({ name: 'control', path: BATCH, body: [newCall({ call_id: 'b-1' })], status: 200, code: '' })).status).toBe(200);
    expect((await send({ name: 'control', path: FROM_AGENT, body: newCall(), auth: agentToken([Role.OmnichannelAgent]), status: 202, code: '' })).status).toBe(202);
  });
});
