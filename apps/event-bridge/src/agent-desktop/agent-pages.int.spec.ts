import { Role } from '@switchboard/auth';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBridgeTestApp, startEventBridgeTestApp } from '../test-support/test-app';

const TENANT = randomUUID();
const API_CSP = "default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'";

/** The same-origin scripts and styles a page references; the page may have no inline script (CSP script-src 'self'). */
function assetsOf(html: string): string[] {
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  expect(html).not.toMatch(/\son[a-z]+=/i);
  return [...html.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((match) => match[1] as string);
}

describe('agent pages: the agent-bridge script and the demo desktop (EB1.1 a, EB3.2, EB3.3)', () => {
  let app: EventBridgeTestApp;

  /** GET with a development token of TENANT holding `roles`. */
  const get = async (path: string, roles: Role[]) => fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${await app.token(TENANT, roles)}` } });

  beforeAll(async () => {
    app = await startEventBridgeTestApp();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  it('EB1.1 a GET /sdk/agent-bridge.js is the page script, loadable by CRM pages of any origin, revalidated by ETag', async () => {
    const response = await fetch(`${app.url}/sdk/agent-bridge.js`);
    const script = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^(application|text)\/javascript/);
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(script).toContain('SwitchboardAgentBridge');
    const etag = response.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    // As a browser revalidates (fetch() alone would add Cache-Control: no-cache, which forces a full answer).
    const again = await fetch(`${app.url}/sdk/agent-bridge.js`, { headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' } });
    expect(again.status).toBe(304);
  });

  it('EB3.3 the demo desktop runs only its own files: a CSP for it alone, no inline script, every asset same-origin and served', async () => {
    const response = await fetch(`${app.url}/demo/agent-desktop`);
    const html = await response.text();
    const csp = response.headers.get('content-security-policy') ?? '';

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-src 'self' https: http:");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const assets = assetsOf(html);
    expect(assets).toEqual(expect.arrayContaining(['/sdk/agent-bridge.js', '/demo/assets/agent-desktop.js', '/demo/adapter-simulator']));
    for (const path of assets) expect((await fetch(`${app.url}${path}`)).status, path).toBe(200);
  });

  it('EB3.3 the adapter simulator may be framed by this origin only', async () => {
    const response = await fetch(`${app.url}/demo/adapter-simulator`);
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    for (const path of assetsOf(html)) expect((await fetch(`${app.url}${path}`)).status, path).toBe(200);
  });

  it.each(['/demo/assets/agent-bridge.js', '/demo/assets/agent-desktop.html', '/demo/assets/..%2Fagent-bridge.js', '/demo/assets/%2e%2e%2fpublic-files.ts', '/demo/assets/constructor'])(
    'EB3.3 %s is not served: only the files the pages name are',
    async (path) => {
      expect((await fetch(`${app.url}${path}`)).status).toBe(404);
    },
  );

  it('EB1.1 a without AGENT_PAGE_ORIGINS no other origin may call the agent endpoints from a browser', async () => {
    const response = await fetch(`${app.url}/adapter-events/from-agent`, {
      method: 'OPTIONS',
      headers: { origin: 'https://crm.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });

    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("the pages' headers are theirs alone: every other answer keeps the platform's CSP that loads nothing", async () => {
    for (const path of ['/health/live', '/adapter-embeds?adapterHost=tenant.example.com', '/nowhere']) {
      const response = await fetch(`${app.url}${path}`);
      expect(response.headers.get('content-security-policy'), path).toBe(API_CSP);
      expect(response.headers.get('cross-origin-resource-policy'), path).toBe('same-origin');
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
    }
  });

  it('EB3.4 GET /adapter-embeds gives the call (290×600) and chat (450×590) adapter iframes for the host, HTML-escaped', async () => {
    const response = await get('/adapter-embeds?adapterHost=Tenant.Loc.Example.com', [Role.OmnichannelAgent]);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      adapterHost: 'tenant.loc.example.com',
      call: {
        url: 'https://tenant.loc.example.com/agent/?type=call&from=custom',
        width: 290,
        height: 600,
        allow: 'microphone; camera; geolocation',
        html: '<iframe src="https://tenant.loc.example.com/agent/?type=call&amp;from=custom" allow="microphone; camera; geolocation" width="290" height="600"></iframe>',
      },
      chat: {
        url: 'https://tenant.loc.example.com/agent/?type=chat&from=custom',
        width: 450,
        height: 590,
        allow: 'microphone; camera; geolocation',
        html: '<iframe src="https://tenant.loc.example.com/agent/?type=chat&amp;from=custom" allow="microphone; camera; geolocation" width="450" height="590"></iframe>',
      },
    });
  });

  it('EB3.4 administrators may ask too; https://host/ is read as the host', async () => {
    const response = await get(`/adapter-embeds?adapterHost=${encodeURIComponent('https://tenant.example.com/')}`, [Role.Administrator]);

    expect(response.status).toBe(200);
    expect(((await response.json()) as { call: { url: string } }).call.url).toBe('https://tenant.example.com/agent/?type=call&from=custom');
  });

  it.each([
    ['http://tenant.example.com', 'another scheme'],
    ['tenant.example.com:8443', 'a port'],
    ['tenant.example.com/agent', 'a path'],
    ['user:pw@tenant.example.com', 'credentials'],
    ['tenant.example.com"><script>alert(1)</script>', 'quotes and markup'],
    ["tenant.example.com' onload='x", 'single quotes'],
    ['tenant example.com', 'a space'],
    ['javascript:alert(1)', 'a script URL'],
    ['', 'nothing'],
  ])('EB3.4 adapterHost=%j (%s) is a 400 naming adapterHost', async (host) => {
    const response = await get(`/adapter-embeds?adapterHost=${encodeURIComponent(host)}`, [Role.Administrator]);
    const body = (await response.json()) as { error: { details: { field: string }[] } };

    expect(response.status).toBe(400);
    expect(body.error.details.map((detail) => detail.field)).toEqual(['adapterHost']);
  });

  it('EB3.4 no host, two hosts or another parameter are 400s; no token 401; a supervisor-only token 403', async () => {
    const admin = [Role.Administrator];
    expect((await get('/adapter-embeds', admin)).status).toBe(400);
    expect((await get('/adapter-embeds?adapterHost=a.example.com&adapterHost=b.example.com', admin)).status).toBe(400);
    expect((await get('/adapter-embeds?adapterHost=a.example.com&width=1', admin)).status).toBe(400);
    expect((await fetch(`${app.url}/adapter-embeds?adapterHost=a.example.com`)).status).toBe(401);
    expect((await get('/adapter-embeds?adapterHost=a.example.com', [Role.OmnichannelSupervisor])).status).toBe(403);
  });
});

describe('the demo desktop under production configuration (EB3.3)', () => {
  let app: EventBridgeTestApp;

  beforeAll(async () => {
    // Production trusts real issuers only (deploy/k8s sets AUTH_DEV_ISSUER_ENABLED=false).
    app = await startEventBridgeTestApp({
      NODE_ENV: 'production',
      AUTH_DEV_ISSUER_ENABLED: 'false',
      AUTH_ISSUERS: 'https://login.example.com/{tenantid}/v2.0',
      AUTH_JWKS_URL: 'https://login.example.com/discovery/v2.0/keys',
    });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  it.each(['/demo/agent-desktop', '/demo/adapter-simulator', '/demo/assets/agent-desktop.js', '/demo/assets/demo.css'])(
    'EB3.3 %s is absent (404) where development tokens are not accepted',
    async (path) => {
      const response = await fetch(`${app.url}${path}`);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('<html');
    },
  );

  it('EB1.1 a the agent-bridge script is still served: CRM pages need it in production', async () => {
    expect((await fetch(`${app.url}/sdk/agent-bridge.js`)).status).toBe(200);
  });
});

describe('CRM pages of other origins may call the agent endpoints (EB1.1 a, AGENT_PAGE_ORIGINS)', () => {
  const CRM = 'https://crm.example.com';
  let app: EventBridgeTestApp;

  beforeAll(async () => {
    app = await startEventBridgeTestApp({ AGENT_PAGE_ORIGINS: `${CRM}, http://127.0.0.1:8080` });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  const preflight = (path: string, origin: string, method: string) =>
    fetch(`${app.url}${path}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization,content-type,last-event-id' } });

  it.each([
    ['/adapter-events/from-agent', 'POST'],
    ['/agent-stream', 'GET'],
  ])('EB1.1 a a preflight of %s from a listed origin is allowed, for %s with the headers the script sends', async (path, method) => {
    const response = await preflight(path, CRM, method);

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(CRM);
    expect(response.headers.get('access-control-allow-methods')).toBe(method);
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization, content-type, last-event-id');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('EB1.1 a the answer to the real request names the origin too, so the page may read it', async () => {
    const response = await fetch(`${app.url}/adapter-events/from-agent`, {
      method: 'POST',
      headers: { origin: CRM, authorization: `Bearer ${await app.token(TENANT, [Role.OmnichannelAgent], 'agent-cors')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'Agent_Login', data: { agent_id: 'agent-cors' } }),
    });

    expect(response.status).toBe(202);
    expect(response.headers.get('access-control-allow-origin')).toBe(CRM);
    expect(response.headers.get('vary')).toContain('Origin');
  });

  it.each([
    ['another origin', '/adapter-events/from-agent', 'https://evil.example.com', 'POST'],
    ['a listed origin with another scheme', '/adapter-events/from-agent', 'http://crm.example.com', 'POST'],
    ['any other route', '/adapter-embeds', CRM, 'GET'],
    ['the signed server-side route', '/adapter-events', CRM, 'POST'],
  ])('EB1.1 a %s gets no CORS permission', async (_case, path, origin, method) => {
    const response = await preflight(path, origin, method);

    expect(response.status).not.toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('EB1.1 a a preflight for another method of an agent endpoint is refused', async () => {
    const response = await preflight('/agent-stream', CRM, 'DELETE');

    expect(response.status).toBe(405);
    expect(response.headers.get('access-control-allow-methods')).toBeNull();
  });
});
