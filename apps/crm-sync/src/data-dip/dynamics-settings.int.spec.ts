import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CrmSyncTestApp, startCrmSyncTestApp } from '../test-support/crm-sync-test-app';
import { settingsApi } from '../test-support/settings-api';

const TENANT_A = '4b8d2f63-7c1e-4a9f-8b32-6d5e4f3a2b1c';
const TENANT_B = '9e3a5b72-1d0f-4c8e-9f23-7a6b5c4d3e2f';
const PATH = '/crm/dynamics/settings';
const SECRET = 'a-client-secret-that-must-never-come-back';
const VALID = {
  organizationUrl: 'https://contoso.crm.dynamics.com',
  entraTenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  clientId: '51f81489-12ee-4a9e-aaae-a2591f45987d',
  clientSecret: SECRET,
};

describe('Dynamics data-dip settings API (CS7, P2.4 write-only secret, P2.5 SSRF-checked URLs)', () => {
  let app: CrmSyncTestApp;
  const { put, get, expectAdministratorOnlyPerTenant } = settingsApi(() => app, PATH, TENANT_A);

  beforeAll(async () => {
    // Only 127.0.0.2 is allow-listed: every other loopback, private or metadata address stays refused.
    app = await startCrmSyncTestApp({ OUTBOUND_HTTP_ALLOW: '127.0.0.2/32' });
  }, 60_000);
  afterAll(() => app?.close());
  beforeEach(() => app.prisma.dynamicsSettings.deleteMany({}));

  it('CS7 PUT stores the settings with defaults (budget 2 s, queue); GET never returns the secret; the stored secret is sealed', async () => {
    const saved = await put(VALID);

    expect(saved.status).toBe(200);
    const view = await saved.json();
    const { clientSecret: _secret, ...shown } = VALID;
    expect(view).not.toHaveProperty('clientSecret');
    expect(view).toMatchObject({ ...shown, clientSecretSet: true, authorityUrl: 'https://login.microsoftonline.com', answerBudgetMs: 2_000, agentQueue: 'Customer Service' });
    expect(JSON.stringify(view)).not.toContain(SECRET);
    expect(JSON.stringify(await (await get()).json())).not.toContain(SECRET);
    const row = await app.prisma.dynamicsSettings.findUniqueOrThrow({ where: { tenantId: TENANT_A } });
    expect(row.clientSecretSealed).not.toContain(SECRET);
    expect(row.clientSecretSealed).toMatch(/^v1:/);
  });

  it('CS7 P2.4 leaving the secret out keeps the stored one; the budget is configurable', async () => {
    await put(VALID);
    const sealed = (await app.prisma.dynamicsSettings.findUniqueOrThrow({ where: { tenantId: TENANT_A } })).clientSecretSealed;
    const { clientSecret: _secret, ...withoutSecret } = VALID;

    const updated = await put({ ...withoutSecret, answerBudgetMs: 3_500, agentQueue: 'Billing' });

    expect(await updated.json()).toMatchObject({ answerBudgetMs: 3_500, agentQueue: 'Billing' });
    expect((await app.prisma.dynamicsSettings.findUniqueOrThrow({ where: { tenantId: TENANT_A } })).clientSecretSealed).toBe(sealed);
  });

  it('P1.1 P1.3 administrators only (403), a token is needed (401), and each tenant sees only its own settings (404)', () => expectAdministratorOnlyPerTenant(VALID, TENANT_B, 'DynamicsNotConfigured'));

  it.each([
    ['cloud metadata', { organizationUrl: 'http://169.254.169.254' }, 'organizationUrl', 'cloud metadata'],
    ['IPv4-mapped IPv6 loopback', { organizationUrl: 'http://[::ffff:127.0.0.1]:8080' }, 'organizationUrl', 'loopback'],
    ['IPv6 loopback', { organizationUrl: 'http://[::1]' }, 'organizationUrl', 'loopback'],
    ['a DNS name resolving to loopback', { organizationUrl: 'http://localhost:3003' }, 'organizationUrl', 'loopback'],
    ['a private network', { organizationUrl: 'https://10.0.0.5' }, 'organizationUrl', 'private'],
    ['carrier-grade NAT', { organizationUrl: 'https://100.64.1.1' }, 'organizationUrl', 'carrierGradeNat'],
    ['decimal loopback', { organizationUrl: 'http://2130706433' }, 'organizationUrl', 'loopback'],
    ['metadata as the token authority', { authorityUrl: 'http://169.254.169.254' }, 'authorityUrl', 'cloud metadata'],
    ['AWS IPv6 metadata', { authorityUrl: 'http://[fd00:ec2::254]' }, 'authorityUrl', 'cloud metadata'],
  ])('P2.5 %s → 422 UrlNotAllowed, nothing stored', async (_case, override, field, reason) => {
    const response = await put({ ...VALID, ...override });

    expect(response.status).toBe(422);
    const { error } = (await response.json()) as { error: { code: string; details: { field: string; message: string }[] } };
    expect(error.code).toBe('UrlNotAllowed');
    expect(error.details).toEqual([{ field, message: expect.stringContaining(reason) }]);
    expect(await app.prisma.dynamicsSettings.count()).toBe(0);
  });

  it.each([
    ['a file URL', { organizationUrl: 'file:///etc/passwd' }, 'organizationUrl'],
    ['a gopher URL', { organizationUrl: 'gopher://contoso.crm.dynamics.com' }, 'organizationUrl'],
    ['credentials in the URL', { organizationUrl: 'https://admin:pw@contoso.crm.dynamics.com' }, 'organizationUrl'],
    ['a path', { organizationUrl: 'https://contoso.crm.dynamics.com/api/data' }, 'organizationUrl'],
    ['not a URL', { organizationUrl: 'contoso' }, 'organizationUrl'],
    ['a client id that is no GUID', { clientId: 'app' }, 'clientId'],
    ['a bad directory', { entraTenantId: 'not a tenant!' }, 'entraTenantId'],
    ['a budget below 300 ms', { answerBudgetMs: 50 }, 'answerBudgetMs'],
    ['a budget above 10 s', { answerBudgetMs: 60_000 }, 'answerBudgetMs'],
    ['an empty secret', { clientSecret: '' }, 'clientSecret'],
    ['an unknown field', { tokenUrl: 'http://169.254.169.254' }, 'tokenUrl'],
    ['no secret the first time', { clientSecret: undefined }, 'clientSecret'],
  ])('P2.1 %s → 400 naming the field, nothing stored', async (_case, override, field) => {
    const response = await put({ ...VALID, ...override });

    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { details: { field: string }[] } };
    expect(error.details.map((detail) => detail.field)).toContain(field);
    expect(await app.prisma.dynamicsSettings.count()).toBe(0);
  });

  it('P2.5 an allow-listed address is accepted', async () => {
    expect((await put({ ...VALID, organizationUrl: 'http://127.0.0.2:8080', authorityUrl: 'http://127.0.0.2:8080' })).status).toBe(200);
  });
});
