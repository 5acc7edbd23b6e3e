import { Role } from '@switchboard/auth';
import { type ExpectedRefusal, itRefusesEveryRow } from '@switchboard/platform/test-support';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customCrmSettingsExample } from '../crm-engine/crm-settings.schema';
import { dynamicsSettingsExample } from '../data-dip/dynamics-settings.schema';
import { outcomeEmailSettingsExample } from '../outcome-email/outcome-email-settings.schema';
import { flowSettingsExample } from '../session-flows/flow-settings.schema';
import { type CrmSyncTestApp, startCrmSyncTestApp } from './crm-sync-test-app';

const TENANT_A = randomUUID();
const TENANT_B = randomUUID();
const CRM = 'https://crm.example.com/api';
const MEGABYTE = 'x'.repeat(1024 * 1024);

type Body = string | Record<string, unknown> | unknown[] | null | undefined;

interface BadInputRow extends ExpectedRefusal {
  method: 'GET' | 'PUT' | 'POST';
  path: string | ((fixtures: Fixtures) => string);
  /** Objects are sent as JSON; strings byte for byte. */
  body?: Body;
  headers?: Record<string, string>;
  roles?: Role[];
  tenantId?: string;
  /** Replaces the bearer token's Authorization header (undefined value: none at all). */
  authorization?: string | null;
}

interface Fixtures {
  /** A session of tenant B with a CRM flow and call log. */
  otherTenantSession: string;
}

const settings = customCrmSettingsExample as Record<string, unknown> & { endpoints: Record<string, Record<string, unknown>> };
const withEndpoint = (kind: string, change: Record<string, unknown>) => ({ ...settings, endpoints: { ...settings.endpoints, [kind]: { ...settings.endpoints['findAccountByQuery'], ...change } } });
const withAccountUrl = (url: string) => withEndpoint('findAccountByQuery', { url });
const withDynamics = (change: Record<string, unknown>) => ({ ...dynamicsSettingsExample, clientSecret: 'secret', ...change });
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const FULL_TIER = {
  ...settings.endpoints,
  findRecordByQuery: { url: `${CRM}/records`, method: 'GET', parameters: { accountId: '{ACCOUNT_ID}' }, responseDataLocation: 'data' },
  createRecord: { url: `${CRM}/records`, method: 'POST', parameters: { accountId: '{ACCOUNT_ID}' }, responseDataLocation: 'data' },
  updateRecord: { url: `${CRM}/records/{RECORD_ID}`, method: 'PATCH', parameters: { subject: '{TICKET_SUBJECT}' } },
  comment: { url: `${CRM}/records/{RECORD_ID}/comments`, method: 'POST', parameters: { body: '{COMMENT_BODY}' } },
  uploadFile: { url: `${CRM}/records/{RECORD_ID}/attachments`, method: 'POST', parameters: { file: '{FILE_DATA}' } },
};
const withUpload = (change: Record<string, unknown>) => ({ ...settings, endpoints: { ...FULL_TIER, uploadFile: { ...FULL_TIER.uploadFile, ...change } } });

const CUSTOM = '/crm/custom/settings';
const FLOWS = '/crm/session-flows/settings';
const EMAIL = '/crm/outcome-email/settings';
const DYNAMICS = '/crm/dynamics/settings';
const DIP = '/crm/dynamics/data-dip';
const DRY_RUN = '/crm/custom/dry-run';
const bad = { status: 400, code: 'BadRequest' } as const;
const ssrf = { status: 422, code: 'UrlNotAllowed' } as const;

const ROWS: BadInputRow[] = [
  // --- the IVR data dip (CS7) ---
  { name: 'CS7.1 ANI with a NUL byte', method: 'POST', path: DIP, body: { ani: '+1212555\u00000123' }, ...bad, fields: ['ani'] },
  { name: 'CS7.1 ANI holding a lone surrogate', method: 'POST', path: DIP, body: '{"ani":"+1212555\\ud8000"}', ...bad, fields: ['ani'] },
  { name: 'CS7.1 ANI of 1 MB', method: 'POST', path: DIP, body: { ani: MEGABYTE }, status: 413, code: 'PayloadTooLarge' },
  { name: 'CS7.1 ANI as a number', method: 'POST', path: DIP, body: { ani: 12125550123 }, ...bad, fields: ['ani'] },
  { name: 'CS7.1 ANI missing', method: 'POST', path: DIP, body: {}, ...bad, fields: ['ani'] },
  { name: 'CS7.1 ANI of letters', method: 'POST', path: DIP, body: { ani: 'call me maybe' }, ...bad, fields: ['ani'] },
  { name: 'CS7.1 a __proto__ key next to the ANI', method: 'POST', path: DIP, body: '{"ani":"+12125550123","__proto__":{"admin":true}}', ...bad },
  { name: 'CS7.1 a JSON array instead of an object', method: 'POST', path: DIP, body: [{ ani: '+12125550123' }], ...bad },
  { name: 'CS7.1 JSON nested 5000 levels deep', method: 'POST', path: DIP, body: nested(5000), ...bad },
  { name: 'CS7.1 malformed JSON', method: 'POST', path: DIP, body: '{"ani": "+12125550123"', ...bad },
  { name: 'CS7.1 the ANI sent as text/plain', method: 'POST', path: DIP, body: '+12125550123', headers: { 'content-type': 'text/plain' }, status: 415, code: 'UnsupportedMediaType' },
  { name: 'CS7.1 the ANI sent as a form', method: 'POST', path: DIP, body: 'ani=%2B12125550123', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'UnsupportedMediaType' },
  { name: 'P1.3 data dip without a token', method: 'POST', path: DIP, body: { ani: '+12125550123' }, authorization: null, status: 401, code: 'MissingToken' },
  { name: 'P1.3 data dip with a token that is not a JWT', method: 'POST', path: DIP, body: { ani: '+12125550123' }, authorization: 'Bearer not-a-jwt', status: 401, code: 'InvalidToken' },
  { name: 'P1.3 data dip with a token whose signature is forged', method: 'POST', path: DIP, body: { ani: '+12125550123' }, authorization: 'forged', status: 401, code: 'InvalidToken' },
  { name: 'P1.3 data dip with Basic credentials', method: 'POST', path: DIP, body: { ani: '+12125550123' }, authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}`, status: 401, code: 'MissingToken' },
  { name: 'P1.1 data dip of a tenant without Dynamics settings (a forged tenant header changes nothing)', method: 'POST', path: DIP, body: { ani: '+12125550123' }, tenantId: TENANT_B, headers: { 'x-tenant-id': TENANT_A, 'x-switchboard-tenant': TENANT_A }, status: 404, code: 'DynamicsNotConfigured' },

  // --- custom CRM settings (CS1, CS2, P2.5) ---
  { name: 'P2.5 an endpoint URL at the cloud metadata address', method: 'PUT', path: CUSTOM, body: withAccountUrl('http://169.254.169.254/latest/meta-data'), ...ssrf, fields: ['endpoints.findAccountByQuery.url'] },
  { name: 'P2.5 an endpoint URL at IPv4-mapped IPv6 loopback', method: 'PUT', path: CUSTOM, body: withAccountUrl('http://[::ffff:127.0.0.1]/accounts'), ...ssrf, fields: ['endpoints.findAccountByQuery.url'] },
  { name: 'P2.5 an endpoint URL naming localhost', method: 'PUT', path: CUSTOM, body: withAccountUrl('http://localhost:5432/'), ...ssrf, fields: ['endpoints.findAccountByQuery.url'] },
  { name: 'P2.5 an endpoint URL in a private range', method: 'PUT', path: CUSTOM, body: withAccountUrl('https://10.0.0.7/accounts'), ...ssrf, fields: ['endpoints.findAccountByQuery.url'] },
  { name: 'CS2.1 an endpoint URL with the javascript: scheme', method: 'PUT', path: CUSTOM, body: withAccountUrl('javascript:alert(1)'), ...bad, fields: ['endpoints.findAccountByQuery'] },
  { name: 'CS2.1 a variable in the endpoint host', method: 'PUT', path: CUSTOM, body: withAccountUrl('https://{EMAIL}.example.com/accounts'), ...bad, fields: ['endpoints.findAccountByQuery'] },
  { name: 'CS3.1 template injection: an unknown variable {__proto__}', method: 'PUT', path: CUSTOM, body: withEndpoint('findAccountByQuery', { parameters: { q: '{__proto__}' } }), ...bad, fields: ['endpoints.findAccountByQuery'] },
  { name: 'CS3.2 template injection: an unknown function', method: 'PUT', path: CUSTOM, body: withEndpoint('findAccountByQuery', { parameters: { q: '=EVAL(process.exit())' } }), ...bad, fields: ['endpoints.findAccountByQuery'] },
  { name: 'CS2.1 a __proto__ endpoint kind', method: 'PUT', path: CUSTOM, body: `{"auth":{"type":"none"},"endpoints":{"__proto__":{"url":"${CRM}/x","method":"GET"}}}`, ...bad },
  { name: 'CS2.1 a response data location through constructor', method: 'PUT', path: CUSTOM, body: withEndpoint('findAccountByQuery', { responseDataLocation: 'constructor.prototype' }), ...bad, fields: ['endpoints.findAccountByQuery'] },
  { name: 'CS2.1 method DELETE', method: 'PUT', path: CUSTOM, body: withEndpoint('findAccountByQuery', { method: 'DELETE' }), ...bad, fields: ['endpoints.findAccountByQuery.method'] },
  { name: 'CS1.1 a basic username with a NUL byte', method: 'PUT', path: CUSTOM, body: { ...settings, auth: { type: 'basic', username: 'a\u0000b', password: 'p' } }, ...bad, fields: ['auth.username'] },
  { name: 'CS1.1 a custom Host header', method: 'PUT', path: CUSTOM, body: { ...settings, auth: { type: 'custom_headers', headers: [{ name: 'Host', value: 'internal' }] } }, ...bad, fields: ['auth.headers[0].name'] },
  { name: 'CS1.1 a header value with CRLF (header injection)', method: 'PUT', path: CUSTOM, body: { ...settings, auth: { type: 'custom_headers', headers: [{ name: 'X-Api-Key', value: 'k\r\nX-Admin: 1' }] } }, ...bad, fields: ['auth.headers[0].value'] },
  { name: 'CS1.1 an unknown authentication type', method: 'PUT', path: CUSTOM, body: { ...settings, auth: { type: 'kerberos' } }, ...bad, fields: ['auth.type'] },
  { name: 'CS1.3 a timeout of 11 s', method: 'PUT', path: CUSTOM, body: { ...settings, requestTimeoutSeconds: 11 }, ...bad, fields: ['requestTimeoutSeconds'] },
  { name: 'CS1.2 an unknown phone format', method: 'PUT', path: CUSTOM, body: { ...settings, phoneFormat: 'klingon' }, ...bad, fields: ['phoneFormat'] },
  { name: 'CS2.6 upload settings on a find endpoint', method: 'PUT', path: CUSTOM, body: withEndpoint('findAccountByQuery', { upload: { form: 'base64' } }), ...bad, fields: ['endpoints.findAccountByQuery'] },
  { name: 'CS2.6 an upload without a {FILE_DATA} parameter', method: 'PUT', path: CUSTOM, body: withUpload({ parameters: { note: 'x' } }), ...bad, fields: ['endpoints.uploadFile'] },
  { name: 'CS2.6 an unknown upload form', method: 'PUT', path: CUSTOM, body: withUpload({ upload: { form: 'fax' } }), ...bad, fields: ['endpoints.uploadFile.upload.form'] },
  { name: 'CS2.6 an attachment URL template holding the customer e-mail', method: 'PUT', path: CUSTOM, body: withUpload({ upload: { form: 'base64', attachmentUrlTemplate: 'https://crm.example.com/{EMAIL}' } }), ...bad, fields: ['endpoints.uploadFile'] },
  { name: 'P1.3 custom CRM settings by an agent', method: 'PUT', path: CUSTOM, body: settings, roles: [Role.OmnichannelAgent], status: 403, code: 'Forbidden' },
  { name: 'P1.3 custom CRM settings by a supervisor', method: 'PUT', path: CUSTOM, body: settings, roles: [Role.OmnichannelSupervisor], status: 403, code: 'Forbidden' },
  { name: 'P2.1 custom CRM settings as XML', method: 'PUT', path: CUSTOM, body: '<settings/>', headers: { 'content-type': 'application/xml' }, status: 415, code: 'UnsupportedMediaType' },

  // --- session flows, outcome e-mail, Dynamics settings ---
  { name: 'CS2.8 an unknown retry policy', method: 'PUT', path: FLOWS, body: { ...flowSettingsExample, retryPolicy: 'forever' }, ...bad, fields: ['retryPolicy'] },
  { name: 'CS5.1 a lookup template with javascript:', method: 'PUT', path: FLOWS, body: { ...flowSettingsExample, lookupUrls: { ivrTemplate: 'javascript:alert({ANI})' } }, ...bad, fields: ['lookupUrls.ivrTemplate'] },
  { name: 'CS6.1 an outcome address with a CRLF (header injection)', method: 'PUT', path: EMAIL, body: { ...outcomeEmailSettingsExample, global: { enabled: true, address: 'a@example.com\r\nBcc: all@example.com' } }, ...bad, fields: ['global.address'] },
  { name: 'CS6.1 a queue id of 1 MB', method: 'PUT', path: EMAIL, body: { ...outcomeEmailSettingsExample, queues: [{ queueId: MEGABYTE, enabled: true }] }, status: 413, code: 'PayloadTooLarge' },
  { name: 'CS7 a Dynamics organization URL in a private range', method: 'PUT', path: DYNAMICS, body: withDynamics({ organizationUrl: 'https://192.168.1.10' }), ...ssrf, fields: ['organizationUrl'] },
  { name: 'CS7 an answer budget of an hour', method: 'PUT', path: DYNAMICS, body: withDynamics({ answerBudgetMs: 3_600_000 }), ...bad, fields: ['answerBudgetMs'] },
  { name: 'CS7 a Dynamics client id that is not a GUID', method: 'PUT', path: DYNAMICS, body: withDynamics({ clientId: "' OR 1=1 --" }), ...bad, fields: ['clientId'] },

  // --- reads across tenants and odd ids ---
  { name: "P1.1 another tenant's session calls (forged tenant header ignored)", method: 'GET', path: (f) => `/crm/sessions/${f.otherTenantSession}/calls`, headers: { 'x-tenant-id': TENANT_B }, status: 404, code: 'SessionNotFound' },
  { name: "P1.1 another tenant's session uploads", method: 'GET', path: (f) => `/crm/sessions/${f.otherTenantSession}/uploads`, status: 404, code: 'SessionNotFound' },
  { name: 'P2.1 a session id of 5000 characters', method: 'GET', path: `/crm/sessions/${'9'.repeat(5000)}/calls`, status: 414, code: 'URITooLong' },
  { name: 'P2.1 a session id with broken percent-encoding', method: 'GET', path: '/crm/sessions/%E0%A4%A/uploads', ...bad },
  { name: 'P2.1 agent events with limit=0', method: 'GET', path: '/agent-events?limit=0', ...bad, fields: ['limit'] },
  { name: 'P2.1 agent events with an unknown query parameter', method: 'GET', path: '/agent-events?tenantId=' + TENANT_B, ...bad },
  { name: 'CS dry run with a variable of 1 MB', method: 'POST', path: DRY_RUN, body: { variables: { NAME: MEGABYTE }, endpoints: ['findAccountByQuery'] }, status: 413, code: 'PayloadTooLarge' },
];

describe('crm-sync bad input (P2.1): hostile requests to the admin APIs and the IVR data dip each get a specific 4xx and store nothing', () => {
  let app: CrmSyncTestApp;
  const fixtures: Fixtures = { otherTenantSession: `call-${randomUUID().slice(0, 8)}` };

  beforeAll(async () => {
    app = await startCrmSyncTestApp({ OUTBOUND_HTTP_ALLOW: '127.0.0.2/32' });
    // Tenant A has a custom CRM (so the rows that break it would replace it); tenant B a session with a call.
    const put = await app.call(CUSTOM, { method: 'PUT', tenantId: TENANT_A, roles: [Role.Administrator], body: JSON.stringify(settings) });
    expect(put.status, await put.text()).toBe(200);
    await app.prisma.crmCall.create({ data: { tenantId: TENANT_B, sessionId: fixtures.otherTenantSession, step: 'account', attempt: 1, endpoint: 'findAccountByQuery', method: 'GET', url: `${CRM}/accounts`, outcome: 'ok', startedAt: new Date() } });
  }, 90_000);
  afterAll(async () => {
    await app?.close();
  });

  async function send(row: BadInputRow): Promise<Response> {
    const path = typeof row.path === 'function' ? row.path(fixtures) : row.path;
    const headers: Record<string, string> = { 'content-type': 'application/json', ...row.headers };
    if (row.authorization === undefined) headers['authorization'] = `Bearer ${await app.token(row.tenantId ?? TENANT_A, row.roles ?? [Role.Administrator])}`;
    else if (row.authorization === 'forged') headers['authorization'] = `Bearer ${forged(await app.token(TENANT_A, [Role.Administrator]))}`;
    else if (row.authorization !== null) headers['authorization'] = row.authorization;
    const body = row.body === undefined ? undefined : typeof row.body === 'string' ? row.body : JSON.stringify(row.body);
    return fetch(`${app.url}${path}`, { method: row.method, headers, ...(body === undefined ? {} : { body }) });
  }

  /** What a refused request must leave as it was: every settings table, the flows, jobs and the outbox. */
  const stored = async () => {
    const counts = await app.prisma.$queryRawUnsafe<Record<string, number>[]>(
      `SELECT (SELECT count(*)::int FROM crm_sync.custom_crm_settings) AS crm,
              (SELECT max(updated_at)::text FROM crm_sync.custom_crm_settings) AS crm_changed,
              (SELECT count(*)::int FROM crm_sync.crm_flow_settings) AS flows,
              (SELECT count(*)::int FROM crm_sync.outcome_email_settings) AS email,
              (SELECT count(*)::int FROM crm_sync.dynamics_settings) AS dynamics,
              (SELECT count(*)::int FROM crm_sync.crm_session_flow) AS sessions,
              (SELECT count(*)::int FROM crm_sync.crm_call) AS calls,
              (SELECT count(*)::int FROM crm_sync.job) AS jobs,
              (SELECT count(*)::int FROM crm_sync.outbox_event) AS outbox`,
    );
    return counts[0];
  };

  itRefusesEveryRow(ROWS, send, stored);

  it('P2.1 the valid requests the rows are built from are accepted (so each row fails for its one fault)', async () => {
    const ok = async (path: string, body: unknown) => (await app.call(path, { method: 'PUT', tenantId: TENANT_B, roles: [Role.Administrator], body: JSON.stringify(body) })).status;
    expect(await ok(CUSTOM, withUpload({ upload: { form: 'multipart', attachmentUrlTemplate: 'https://crm.example.com/files/{ATTACHMENT_ID}', addComment: true } }))).toBe(200);
    expect(await ok(FLOWS, flowSettingsExample)).toBe(200);
    expect(await ok(EMAIL, outcomeEmailSettingsExample)).toBe(200);
  });
});

/** The token with its signature's last characters changed. */
function forged(token: string): string {
  const [header, payload, signature = ''] = token.split('.');
  return `${header}.${payload}.${signature.slice(0, -4)}${signature.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
}
