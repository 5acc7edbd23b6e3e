import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CrmSyncTestApp, startCrmSyncTestApp } from '../test-support/crm-sync-test-app';
import { settingsApi } from '../test-support/settings-api';

const TENANT_A = '5c1e7a2b-3d4f-4e6a-8b9c-0d1e2f3a4b5c';
const TENANT_B = '6d2f8b3c-4e5a-4f7b-9c0d-1e2f3a4b5c6d';
const PATH = '/crm/custom/settings';
const PASSWORD = 'a-crm-password-that-must-never-come-back';
const API_KEY = 'an-api-key-that-must-never-come-back';
const CRM = 'https://crm.example.com/api';
const ACCOUNT_TIER = {
  findAccountByQuery: { url: `${CRM}/accounts`, method: 'GET', parameters: { criteria: '=CONCAT_OR((Phone:equals:{PHONE_NUMBER}), (Email:equals:{EMAIL}))' }, responseDataLocation: 'data' },
  createAccount: { url: `${CRM}/accounts`, method: 'POST', parameters: { name: '{NAME}' }, responseDataLocation: 'data' },
};
const VALID = { auth: { type: 'basic', username: 'switchboard', password: PASSWORD }, endpoints: ACCOUNT_TIER };

describe('custom CRM settings API (CS1, CS2, CS3; P2.4 write-only secrets, P2.5 SSRF-checked URLs)', () => {
  let app: CrmSyncTestApp;
  const { put, get, expectAdministratorOnlyPerTenant } = settingsApi(() => app, PATH, TENANT_A);
  const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string; details: { field: string; message: string }[] } }).error;

  beforeAll(async () => {
    app = await startCrmSyncTestApp({ OUTBOUND_HTTP_ALLOW: '127.0.0.2/32' });
  }, 60_000);
  afterAll(() => app?.close());
  beforeEach(() => app.prisma.customCrmSettings.deleteMany({}));

  it('CS1 CS2 PUT stores the settings with defaults (automatic phone format, 5 s, reuse records); GET never returns the password; it is sealed', async () => {
    const saved = await put(VALID);

    expect(saved.status).toBe(200);
    const view = await saved.json();
    expect(view).toMatchObject({ auth: { type: 'basic', username: 'switchboard', passwordSet: true }, phoneFormat: 'automatic', requestTimeoutSeconds: 5, reuseExistingRecords: true, endpoints: ACCOUNT_TIER });
    expect(JSON.stringify(view)).not.toContain(PASSWORD);
    expect(JSON.stringify(await (await get()).json())).not.toContain(PASSWORD);
    const row = await app.prisma.customCrmSettings.findUniqueOrThrow({ where: { tenantId: TENANT_A } });
    expect(JSON.stringify(row)).not.toContain(PASSWORD);
    expect(row.authSecretSealed).toMatch(/^v1:/);
  });

  it('CS1.1 P2.4 secrets are write-only: left out, the stored password or header value is kept; a new user or header needs one', async () => {
    await put(VALID);
    const sealed = (await app.prisma.customCrmSettings.findUniqueOrThrow({ where: { tenantId: TENANT_A } })).authSecretSealed;
    expect((await put({ ...VALID, auth: { type: 'basic', username: 'switchboard' }, requestTimeoutSeconds: 3 })).status).toBe(200);
    expect((await app.prisma.customCrmSettings.findUniqueOrThrow({ where: { tenantId: TENANT_A } })).authSecretSealed).toBe(sealed);

    const newUser = await put({ ...VALID, auth: { type: 'basic', username: 'someone-else' } });
    expect(newUser.status).toBe(400);
    expect((await errorOf(newUser)).details.map((detail) => detail.field)).toEqual(['auth.password']);

    const headers = await put({ ...VALID, auth: { type: 'custom_headers', headers: [{ name: 'X-Api-Key', value: API_KEY }, { name: 'X-Org', value: 'acme' }] } });
    expect(await headers.json()).toMatchObject({ auth: { type: 'custom_headers', headers: [{ name: 'X-Api-Key', valueSet: true }, { name: 'X-Org', valueSet: true }] } });
    expect((await put({ ...VALID, auth: { type: 'custom_headers', headers: [{ name: 'x-api-key' }, { name: 'X-Org', value: 'acme2' }] } })).status).toBe(200);
    expect(JSON.stringify(await (await get()).json())).not.toContain(API_KEY);
    const added = await put({ ...VALID, auth: { type: 'custom_headers', headers: [{ name: 'X-Api-Key' }, { name: 'X-New' }] } });
    expect((await errorOf(added)).details.map((detail) => detail.field)).toEqual(['auth.headers[1].value']);
  });

  it('P1.1 P1.3 administrators only (403), a token is needed (401), each tenant sees only its own settings (404)', () => expectAdministratorOnlyPerTenant(VALID, TENANT_B, 'CustomCrmNotConfigured'));

  const endpoint = (override: Record<string, unknown>) => ({ ...VALID, endpoints: { ...ACCOUNT_TIER, findAccountByQuery: { ...ACCOUNT_TIER.findAccountByQuery, ...override } } });
  it.each([
    ['an unknown variable', endpoint({ parameters: { q: '{PASSWORD}' } }), 'endpoints.findAccountByQuery', /\{PASSWORD\} is not a known variable/],
    ['an unknown function', endpoint({ parameters: { q: '=EVAL({EMAIL})' } }), 'endpoints.findAccountByQuery', /EVAL is not a function/],
    ['a variable in the host', endpoint({ url: 'https://{EMAIL}.example.com/accounts' }), 'endpoints.findAccountByQuery', /not in its host/],
    ['an unmatched brace', endpoint({ url: `${CRM}/accounts/{ACCOUNT_ID` }), 'endpoints.findAccountByQuery', /unmatched/],
    ['a bad data location', endpoint({ responseDataLocation: 'data[' }), 'endpoints.findAccountByQuery', /responseDataLocation/],
    ['DELETE', endpoint({ method: 'DELETE' }), 'endpoints.findAccountByQuery.method', /./],
    ['find by id without {ACCOUNT_ID}', { ...VALID, endpoints: { ...ACCOUNT_TIER, findAccountById: { url: `${CRM}/accounts`, method: 'GET' } } }, 'endpoints.findAccountById', /\{ACCOUNT_ID\}/],
    ['records without accounts (CS2.2)', { ...VALID, endpoints: { findRecordByQuery: ACCOUNT_TIER.findAccountByQuery, createRecord: ACCOUNT_TIER.createAccount } }, 'endpoints', /also need findAccountByQuery, createAccount/],
    ['updates without records (CS2.2)', { ...VALID, endpoints: { ...ACCOUNT_TIER, comment: ACCOUNT_TIER.createAccount } }, 'endpoints', /also need findRecordByQuery, createRecord, updateRecord, uploadFile/],
    ['an unknown endpoint', { ...VALID, endpoints: { deleteAccount: ACCOUNT_TIER.createAccount } }, 'endpoints', /./],
    ['a timeout of 11 s (CS1.3)', { ...VALID, requestTimeoutSeconds: 11 }, 'requestTimeoutSeconds', /./],
    ['a timeout of 0 s (CS1.3)', { ...VALID, requestTimeoutSeconds: 0 }, 'requestTimeoutSeconds', /./],
    ['an unknown phone format (CS1.2)', { ...VALID, phoneFormat: 'e.164' }, 'phoneFormat', /./],
    ['OAuth without a token URL (CS1.1)', { ...VALID, auth: { type: 'oauth2', grantType: 'client_credentials', clientId: 'x', clientSecret: 's' } }, 'auth.tokenUrl', /./],
    ['OAuth code grant without an authorization URL (CS1.1)', { ...VALID, auth: { type: 'oauth2', tokenUrl: 'https://crm.example.com/oauth/token', clientId: 'x', clientSecret: 's' } }, 'auth.authorizationUrl', /required/],
    ['a Host header', { ...VALID, auth: { type: 'custom_headers', headers: [{ name: 'Host', value: 'evil' }] } }, 'auth.headers[0].name', /set by crm-sync itself/],
    ['a header value with a line break', { ...VALID, auth: { type: 'custom_headers', headers: [{ name: 'X-Key', value: 'a\r\nX-Evil: 1' }] } }, 'auth.headers[0].value', /one line/],
    ['a lookup URL without {ACCOUNT_ID} (CS1.4)', { ...VALID, accountLookupUrl: 'https://crm.example.com/contact' }, 'accountLookupUrl', /\{ACCOUNT_ID\}/],
    ['a container without a name', endpoint({ method: 'POST', bodyFormat: { type: 'container', containerType: 'map' } }), 'endpoints.findAccountByQuery.bodyFormat.containerName', /./],
  ])('CS2 CS3 %s → 400 naming the field, nothing stored', async (_case, body, field, message) => {
    const response = await put(body);

    expect(response.status).toBe(400);
    const details = (await errorOf(response)).details;
    expect(details.map((detail) => detail.field)).toContain(field);
    expect(details.find((detail) => detail.field === field)?.message).toMatch(message);
    expect(await app.prisma.customCrmSettings.count()).toBe(0);
  });

  it.each([
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data', 'cloud metadata'],
    ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]:8080/accounts', 'loopback'],
    ['a DNS name resolving to loopback', 'http://localhost:3003/accounts', 'loopback'],
    ['a private network', 'https://10.0.0.5/accounts/{EMAIL}', 'private'],
    ['decimal loopback', 'http://2130706433/accounts', 'loopback'],
  ])('P2.5 an endpoint URL at %s → 422 UrlNotAllowed naming the endpoint, nothing stored', async (_case, url, reason) => {
    const response = await put(endpoint({ url }));

    expect(response.status).toBe(422);
    const error = await errorOf(response);
    expect(error.code).toBe('UrlNotAllowed');
    expect(error.details).toEqual([{ field: 'endpoints.findAccountByQuery.url', message: expect.stringContaining(reason) }]);
    expect(await app.prisma.customCrmSettings.count()).toBe(0);
  });
});
