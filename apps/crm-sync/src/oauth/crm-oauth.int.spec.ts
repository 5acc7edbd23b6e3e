import { Role } from '@switchboard/auth';
import { Clock } from '@switchboard/clock';
import type { CrmSimulator } from '@switchboard/testing';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CrmEngineService } from '../crm-engine/crm-engine.service';
import { useCrmSimulatorApp } from '../test-support/crm-simulator-app';
import type { CrmSyncTestApp } from '../test-support/crm-sync-test-app';

const [TENANT, OTHER_TENANT] = ['8f4b0d5e-6a7c-4b9d-8e1f-3a4b5c6d7e8f', '9a5c1e6f-7b8d-4cae-9f20-4b5c6d7e8f90'];
const CLIENT = { id: 'switchboard-crm-client', secret: 'an-oauth-client-secret-that-must-never-come-back' };
const CLIENT_ID = CLIENT.id;
const CLIENT_SECRET = CLIENT.secret;
const PUBLIC_BASE_URL = 'https://crm-sync.example.com';
const REDIRECT_URI = `${PUBLIC_BASE_URL}/crm/custom/oauth/callback`;
const KIM = { id: 'acc_1', name: 'Kim Lee', phone: '+12223334444', email: 'kim@example' };

describe('custom CRM OAuth 2.0 (CS1.1): client credentials, connect flow with PKCE, refresh, single-flight tokens (P2.4, P2.5)', () => {
  const started = useCrmSimulatorApp({ accounts: [KIM] }, { PUBLIC_BASE_URL });
  let app: CrmSyncTestApp;
  let sim: CrmSimulator;
  let engine: CrmEngineService;

  const oauthSettings = (auth: Record<string, unknown>) => ({
    auth: { type: 'oauth2', tokenUrl: `${sim.url}/oauth/token`, authorizationUrl: `${sim.url}/oauth/authorize`, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...auth },
    phoneFormat: 'e164',
    endpoints: {
      findAccountByQuery: { url: `${sim.url}/api/accounts`, method: 'GET', parameters: { email: '{EMAIL}' }, responseDataLocation: 'data' },
      createAccount: { url: `${sim.url}/api/accounts`, method: 'POST', parameters: { name: '{NAME}' }, responseDataLocation: 'data' },
    },
  });
  const put = (body: unknown, tenantId = TENANT) => app.call('/crm/custom/settings', { method: 'PUT', tenantId, roles: [Role.Administrator], body: JSON.stringify(body) });
  const configure = async (auth: Record<string, unknown>) => {
    const response = await put(oauthSettings(auth));
    expect(response.status, await response.clone().text()).toBe(200);
    return response.json() as Promise<{ auth: Record<string, unknown> }>;
  };
  const findKim = () => engine.call(TENANT, 'findAccountByQuery', { EMAIL: 'kim@example' });
  const tokenRequests = () => sim.requests.filter((request) => request.path === '/oauth/token');
  const formOf = (body: string) => Object.fromEntries(new URLSearchParams(body));
  const errorCode = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;
  const storedRow = () => app.prisma.customCrmSettings.findUniqueOrThrow({ where: { tenantId: TENANT } });

  /** The administrator's connect flow: authorize → (browser at the CRM) → the CRM's redirect back. */
  const connect = async () => {
    const started = await app.call('/crm/custom/oauth/authorize', { method: 'POST', tenantId: TENANT, roles: [Role.Administrator] });
    expect(started.status).toBe(200);
    const { authorizationUrl } = (await started.json()) as { authorizationUrl: string };
    const atCrm = await fetch(authorizationUrl, { redirect: 'manual' });
    expect(atCrm.status).toBe(302);
    const back = new URL(atCrm.headers.get('location') ?? '');
    return { authorizationUrl: new URL(authorizationUrl), back, callback: (query = back.search) => fetch(`${app.url}/crm/custom/oauth/callback${query}`) };
  };

  beforeEach(async () => {
    [app, sim] = [started.app(), started.sim()];
    engine = app.app.get(CrmEngineService);
    sim.auth = { type: 'oauth2', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI] };
    sim.requests.length = 0;
    sim.clearFaults();
    vi.restoreAllMocks();
    await app.prisma.customCrmSettings.deleteMany({});
  });

  it('CS1.1 client credentials: the engine calls the CRM with a bearer token (redacted in the result); the client secret is write-only and sealed', async () => {
    const view = await configure({ grantType: 'client_credentials', scope: 'crm.read crm.write' });

    const result = await findKim();
    expect(result).toMatchObject({ outcome: 'ok', id: 'acc_1', request: { headers: { authorization: '<redacted>' } } });
    expect(tokenRequests()).toHaveLength(1);
    expect(formOf(tokenRequests()[0]!.body)).toEqual({ grant_type: 'client_credentials', scope: 'crm.read crm.write' });
    // client_secret_basic is the default (RFC 6749 §2.3.1): the secret travels in the Authorization header, not the form.
    expect(tokenRequests()[0]!.headers['authorization']).toMatch(/^Basic /);
    expect(view.auth).toMatchObject({ type: 'oauth2', grantType: 'client_credentials', clientId: CLIENT_ID, clientSecretSet: true, connected: false });
    expect(JSON.stringify(view)).not.toContain(CLIENT_SECRET);
    const row = await storedRow();
    expect(JSON.stringify(row)).not.toContain(CLIENT_SECRET);
    expect(row.authSecretSealed).toMatch(/^v1:/);
  });

  it('CS1.1 tokens are cached until shortly before expiry and requested ONCE by 25 concurrent calls (single flight)', async () => {
    await configure({ grantType: 'client_credentials' });

    const results = await Promise.all(Array.from({ length: 25 }, () => findKim()));

    expect(results.every((result) => result.outcome === 'ok')).toBe(true);
    expect(tokenRequests()).toHaveLength(1);
    await findKim();
    expect(tokenRequests()).toHaveLength(1);
  });

  it('CS1.1 client_secret_post puts the secret in the form; a server that wants the other method answers invalid_client, reported as a failed call', async () => {
    sim.auth = { type: 'oauth2', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, clientAuth: 'post' };
    await configure({ grantType: 'client_credentials', clientAuthMethod: 'client_secret_post' });
    expect(await findKim()).toMatchObject({ outcome: 'ok' });
    expect(formOf(tokenRequests()[0]!.body)).toMatchObject({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET });

    await configure({ grantType: 'client_credentials', clientAuthMethod: 'client_secret_basic' });
    const refused = await findKim();
    expect(refused).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/^oauth invalid_client: .*answered 401 \(invalid_client\)/) });
    expect(JSON.stringify(refused)).not.toContain(CLIENT_SECRET);
  });

  it('CS1.1 a token the CRM no longer accepts (401) is replaced once; a throttled token endpoint (429) fails the call with its Retry-After', async () => {
    await configure({ grantType: 'client_credentials' });
    expect(await findKim()).toMatchObject({ outcome: 'ok' });
    sim.oauth!.expireAccessTokens();

    expect(await findKim()).toMatchObject({ outcome: 'ok' });
    expect(tokenRequests()).toHaveLength(2);

    sim.oauth!.expireAccessTokens();
    sim.fail({ method: 'POST', pathPrefix: '/oauth/token', status: 429, retryAfterSeconds: 30 });
    expect(await findKim()).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/^oauth throttled/), retryAfter: '30' });
  });

  it('CS1.1 connect flow: authorization URL with state, PKCE S256, scope, access type and redirect URL; the callback stores the refresh token sealed; calls then use refresh grants', async () => {
    await configure({ scope: 'crm.all', state: 'acme-prod', accessType: 'offline', includeRedirectUrl: true });

    const { authorizationUrl, back, callback } = await connect();
    const asked = authorizationUrl.searchParams;
    expect(`${authorizationUrl.origin}${authorizationUrl.pathname}`).toBe(`${sim.url}/oauth/authorize`);
    expect(Object.fromEntries(asked)).toMatchObject({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, scope: 'crm.all', access_type: 'offline', code_challenge_method: 'S256' });
    expect(asked.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(asked.get('state')).toMatch(/^acme-prod~v1:/);
    expect(back.searchParams.get('state')).toBe(asked.get('state'));

    const done = await callback();
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({ connected: true });
    const exchange = formOf(tokenRequests()[0]!.body);
    expect(exchange).toMatchObject({ grant_type: 'authorization_code', code: back.searchParams.get('code'), redirect_uri: REDIRECT_URI });
    expect(exchange['code_verifier']).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    const view = (await (await app.call('/crm/custom/settings', { method: 'GET', tenantId: TENANT, roles: [Role.Administrator] })).json()) as { auth: Record<string, unknown> };
    expect(view.auth).toMatchObject({ connected: true, clientSecretSet: true });
    const [refreshToken] = [...sim.oauth!.refreshTokens];
    const sealedAfterConnect = (await storedRow()).authSecretSealed;
    expect(sealedAfterConnect).not.toContain(refreshToken!);
    expect(JSON.stringify(view)).not.toContain(refreshToken!);

    expect(await findKim()).toMatchObject({ outcome: 'ok', id: 'acc_1' });
    expect(formOf(tokenRequests()[1]!.body)).toEqual({ grant_type: 'refresh_token', refresh_token: refreshToken });
    // The simulator rotates refresh tokens: the new one is stored (sealed), the old one is gone.
    expect((await storedRow()).authSecretSealed).not.toBe(sealedAfterConnect);
    sim.oauth!.expireAccessTokens();
    expect(await findKim()).toMatchObject({ outcome: 'ok' });
    expect(formOf(tokenRequests()[2]!.body)['refresh_token']).not.toBe(refreshToken);
  });

  it('CS1.1 without "include redirect URL" the authorization and token requests carry no redirect_uri', async () => {
    sim.auth = { type: 'oauth2', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: ['https://registered.example.com/cb'] };
    await configure({});
    const { authorizationUrl, back, callback } = await connect();
    expect(authorizationUrl.searchParams.has('redirect_uri')).toBe(false);
    expect(back.origin).toBe('https://registered.example.com');
    expect((await callback()).status).toBe(200);
    expect(formOf(tokenRequests()[0]!.body)).not.toHaveProperty('redirect_uri');
  });

  it('CS1.1 hostile callbacks: a forged or tampered state, an expired one, a replayed code, a refused authorization — each a specific 400, nothing stored', async () => {
    await configure({});
    const before = (await storedRow()).authSecretSealed;
    const { back, callback } = await connect();
    const state = back.searchParams.get('state')!;
    const code = back.searchParams.get('code')!;
    const query = (params: Record<string, string>) => `?${new URLSearchParams(params)}`;

    expect(await errorCode(await callback(query({ state: 'v1:AAAA:BBBB:CCCC', code })))).toBe('OAuthStateInvalid');
    expect(await errorCode(await callback(query({ state: `${state.slice(0, -4)}AAA=`, code })))).toBe('OAuthStateInvalid');
    expect(await errorCode(await callback(query({ state, error: 'access_denied' })))).toBe('OAuthAuthorizationDenied');
    expect((await callback(query({ code }))).status).toBe(400);
    const clock = app.app.get(Clock);
    const now = clock.now().getTime();
    vi.spyOn(clock, 'now').mockReturnValue(new Date(now + 11 * 60_000));
    expect(await errorCode(await callback())).toBe('OAuthStateExpired');
    vi.restoreAllMocks();
    expect((await storedRow()).authSecretSealed).toBe(before);
    expect((await callback()).status).toBe(200);
    const replay = await callback();
    expect(replay.status).toBe(400);
    expect(await errorCode(replay)).toBe('OAuthCodeRefused');
    const afterConnect = (await storedRow()).authSecretSealed;
    expect(afterConnect).not.toBe(before);
    expect((await storedRow()).authSecretSealed).toBe(afterConnect);
  });

  it('CS1.1 a revoked refresh token fails calls with invalid_grant (connect again); a tenant not using OAuth cannot start a connect flow (409)', async () => {
    await configure({});
    expect(await findKim()).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/^oauth invalid_grant: .*not connected/) });
    await (await connect()).callback();
    sim.oauth!.revokeRefreshTokens();
    expect(await findKim()).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/^oauth invalid_grant/) });

    await configure({ grantType: 'client_credentials' });
    const started = await app.call('/crm/custom/oauth/authorize', { method: 'POST', tenantId: TENANT, roles: [Role.Administrator] });
    expect(started.status).toBe(409);
    expect(await errorCode(started)).toBe('OAuthNotConfigured');
  });

  it('P1.1 P1.3 the connect flow is for administrators of a configured tenant', async () => {
    await configure({});
    expect((await app.call('/crm/custom/oauth/authorize', { method: 'POST', tenantId: TENANT, roles: [Role.OmnichannelSupervisor] })).status).toBe(403);
    expect((await fetch(`${app.url}/crm/custom/oauth/authorize`, { method: 'POST' })).status).toBe(401);
    const other = await app.call('/crm/custom/oauth/authorize', { method: 'POST', tenantId: OTHER_TENANT, roles: [Role.Administrator] });
    expect(other.status).toBe(404);
  });

  it.each([
    ['the cloud metadata address', 'http://169.254.169.254/oauth/token', 'auth.tokenUrl'],
    ['an IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]/oauth/token', 'auth.tokenUrl'],
    ['loopback as one number', 'http://2130706433/oauth/token', 'auth.tokenUrl'],
    ['a private network', 'https://10.0.0.8/token', 'auth.tokenUrl'],
  ])('P2.5 a token URL at %s is refused (422 UrlNotAllowed naming the field), nothing stored', async (_what, tokenUrl, field) => {
    const response = await put(oauthSettings({ grantType: 'client_credentials', tokenUrl }));
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { code: string; details: { field: string }[] } };
    expect(body.error.code).toBe('UrlNotAllowed');
    expect(body.error.details.map((detail) => detail.field)).toEqual([field]);
    expect(await app.prisma.customCrmSettings.count()).toBe(0);
  });

  it.each([
    ['a new client without a secret', { clientSecret: undefined }, 'auth.clientSecret'],
    ['a token URL that is not http(s)', { tokenUrl: 'file:///etc/passwd' }, 'auth.tokenUrl'],
    ['a client id with a line break', { clientId: 'a\r\nb' }, 'auth.clientId'],
    ['an unknown client authentication', { clientAuthMethod: 'private_key_jwt' }, 'auth.clientAuthMethod'],
    ['an unknown grant', { grantType: 'password' }, 'auth.grantType'],
    ['an unknown key', { audience: 'x' }, 'auth.audience'],
  ])('CS1.1 P2.1 %s is 400 naming %s, nothing stored', async (_what, override, field) => {
    const response = await put(oauthSettings(override));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { details: { field: string }[] } };
    expect(body.error.details.map((detail) => detail.field)).toContain(field);
    expect(await app.prisma.customCrmSettings.count()).toBe(0);
  });

  it('CS1.1 P2.4 a save without the secret keeps it (and the connection); another client id needs a new secret', async () => {
    await configure({});
    await (await connect()).callback();
    const { clientSecret: _left, ...withoutSecret } = oauthSettings({}).auth;
    const kept = await put({ ...oauthSettings({}), auth: { ...withoutSecret, scope: 'more' } });
    expect(await kept.json()).toMatchObject({ auth: { clientSecretSet: true, connected: true, scope: 'more' } });

    const otherClient = await put({ ...oauthSettings({}), auth: { ...withoutSecret, clientId: 'another-client' } });
    expect(otherClient.status).toBe(400);
    const newClient = await put(oauthSettings({ clientId: 'another-client' }));
    expect(await newClient.json()).toMatchObject({ auth: { clientSecretSet: true, connected: false } });
  });
});
