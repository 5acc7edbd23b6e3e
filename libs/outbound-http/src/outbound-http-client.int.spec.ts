import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostResolver } from './host-resolver';
import { OutboundHttpClient } from './outbound-http-client';
import { OutboundHttpError } from './outbound-errors';

/** The test servers listen on 127.0.0.2 (all of 127/8 is loopback on Linux); only that address is allow-listed. */
const ALLOWED_HOST = '127.0.0.2';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

async function listen(host: string, handler: Handler): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** DNS for the tests: each name answers what the test says, like a rebinding attacker's DNS would. */
const fakeDns: Record<string, string[]> = {
  'allowed.test': [ALLOWED_HOST],
  'rebinds-to-loopback.test': ['127.0.0.1'],
  'mixed.test': [ALLOWED_HOST, '10.0.0.7'],
  'metadata.test': ['169.254.169.254'],
};
const resolver: HostResolver = async (hostname) => {
  const addresses = fakeDns[hostname];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

async function refusal(promise: Promise<unknown>): Promise<OutboundHttpError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OutboundHttpError);
  return error as OutboundHttpError;
}

describe('OutboundHttpClient against real local servers (P2.5 SSRF guard)', () => {
  let allowed: { server: Server; port: number };
  let loopback: { server: Server; port: number };
  let client: OutboundHttpClient;
  const hits: string[] = [];
  /** Requests to /drops the server answers by closing the connection, before the one it answers. */
  let dropsLeft = 0;

  beforeAll(async () => {
    loopback = await listen('127.0.0.1', (request, response) => {
      hits.push(`loopback ${request.url}`);
      response.end('{"secret":"internal"}');
    });
    allowed = await listen(ALLOWED_HOST, (request, response) => {
      hits.push(`allowed ${request.url}`);
      const url = new URL(request.url ?? '/', 'http://x');
      if (url.pathname === '/ok') return void response.setHeader('content-type', 'application/json').end('{"ok":true}');
      if (url.pathname === '/redirect-private') return void response.writeHead(302, { location: `http://127.0.0.1:${loopback.port}/internal` }).end();
      if (url.pathname === '/redirect-allowed') return void response.writeHead(307, { location: `http://${ALLOWED_HOST}:${allowed.port}/ok` }).end();
      if (url.pathname === '/huge') return void response.end(Buffer.alloc(2 * 1024 * 1024, 'x'));
      if (url.pathname === '/huge-chunked') {
        response.writeHead(200, { 'transfer-encoding': 'chunked' });
        for (let i = 0; i < 64; i++) response.write(Buffer.alloc(64 * 1024, 'y'));
        return void response.end();
      }
      if (url.pathname === '/drops') {
        if (dropsLeft-- > 0) return void request.socket.destroy();
        return void response.end('answered');
      }
      if (url.pathname === '/slow') return void setTimeout(() => response.end('late'), 2_000);
      if (url.pathname === '/trickle') {
        // A chunk every 50 ms for 2 s: never silent for long, so only the whole call's budget ends it.
        response.writeHead(200);
        const ticker = setInterval(() => response.write('.'), 50);
        return void setTimeout(() => {
          clearInterval(ticker);
          response.end();
        }, 2_000);
      }
      if (url.pathname === '/slow-body') {
        response.writeHead(200);
        response.write('first part');
        return void setTimeout(() => response.end('rest'), 2_000);
      }
      response.writeHead(404).end();
    });
    client = new OutboundHttpClient({ allow: [`${ALLOWED_HOST}/32`], resolver, maxResponseBytes: 1024 * 1024, timeoutMs: 5_000 });
  });

  afterAll(async () => {
    await client.close();
    allowed.server.closeAllConnections();
    allowed.server.close();
    loopback.server.close();
  });

  it('P2.5 an allow-listed address is reached, by address and by a name resolving to it', async () => {
    const byAddress = await client.request({ url: `http://${ALLOWED_HOST}:${allowed.port}/ok` });
    const byName = await client.request({ url: `http://allowed.test:${allowed.port}/ok` });

    expect(byAddress.status).toBe(200);
    expect(byAddress.json()).toEqual({ ok: true });
    expect(byName.json()).toEqual({ ok: true });
  });

  it.each([
    ['loopback literal', () => `http://127.0.0.1:${loopback.port}/internal`, 'loopback'],
    ['IPv4-mapped IPv6 loopback', () => `http://[::ffff:127.0.0.1]:${loopback.port}/internal`, 'loopback'],
    ['IPv6 loopback', () => `http://[::1]:${loopback.port}/internal`, 'loopback'],
    ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/', 'cloud metadata'],
    ['a DNS name resolving to loopback', () => `http://rebinds-to-loopback.test:${loopback.port}/internal`, 'loopback'],
    ['a DNS name with one private address among allowed ones', () => `http://mixed.test:${allowed.port}/ok`, 'private'],
    ['a DNS name resolving to metadata', () => 'http://metadata.test/latest', 'cloud metadata'],
    ['decimal-encoded loopback', () => `http://2130706433:${loopback.port}/internal`, 'loopback'],
  ])('P2.5 refuses %s before anything is sent', async (_case, url, reason) => {
    const before = hits.length;
    const error = await refusal(client.request({ url: url() }));

    expect(error.kind).toBe('address-refused');
    expect(error.message).toContain(reason);
    expect(hits.slice(before).filter((hit) => hit.startsWith('loopback'))).toEqual([]);
  });

  it.each([
    ['file:///etc/passwd', 'only http and https'],
    ['gopher://example.com/', 'only http and https'],
    ['http://user:pw@example.com/', 'credentials'],
    ['not a url', 'absolute URL'],
  ])('P2.5 refuses the URL %s', async (url, reason) => {
    const error = await refusal(client.request({ url }));

    expect(error.kind).toBe('url-refused');
    expect(error.message).toContain(reason);
  });

  it('P2.5 a redirect to a private host is refused, and the private host is never called', async () => {
    const before = hits.length;
    const error = await refusal(client.request({ url: `http://${ALLOWED_HOST}:${allowed.port}/redirect-private` }));

    expect(error.kind).toBe('redirect-refused');
    expect(hits.slice(before)).toEqual(['allowed /redirect-private']);
  });

  it('P2.5 with redirects enabled, each target is checked again: private refused, allowed followed', async () => {
    const following = new OutboundHttpClient({ allow: [`${ALLOWED_HOST}/32`], resolver, maxRedirects: 2 });
    try {
      const error = await refusal(following.request({ url: `http://${ALLOWED_HOST}:${allowed.port}/redirect-private` }));
      expect(error.kind).toBe('address-refused');
      expect((await following.request({ url: `http://${ALLOWED_HOST}:${allowed.port}/redirect-allowed` })).json()).toEqual({ ok: true });
    } finally {
      await following.close();
    }
  });

  it('P2.5 an answer larger than the cap is refused, whether its length is declared or streamed', async () => {
    expect((await refusal(client.request({ url: `http://${ALLOWED_HOST}:${allowed.port}/huge` }))).kind).toBe('response-too-large');
    expect((await refusal(client.request({ url: `http://${ALLOWED_HOST}:${allowed.port}/huge-chunked`, maxResponseBytes: 100_000 }))).kind).toBe('response-too-large');
  });

  it('a connection closed before the answer (a kept-alive socket the server dropped) gets a GET sent once more, never a POST', async () => {
    const drops = () => hits.filter((hit) => hit === 'allowed /drops').length;
    dropsLeft = 1;
    expect(await client.request({ url: `http://${ALLOWED_HOST}:${allowed.port}/drops` })).toMatchObject({ status: 200 });
    expect(drops()).toBe(2);
    dropsLeft = 1;
    const streamed = await client.stream({ url: `http://${ALLOWED_HOST}:${allowed.port}/drops` });
    expect(streamed.status).toBe(200);
    streamed.body.resume();
    expect(drops()).toBe(4);

    dropsLeft = 1;
    expect((await refusal(client.request({ url: `http://${ALLOWED_HOST}:${allowed.port}/drops`, method: 'POST', body: '{}' }))).kind).toBe('network');
    expect(drops()).toBe(5);
    dropsLeft = 5;
    expect((await refusal(client.request({ url: `http://${ALLOWED_HOST}:${allowed.port}/drops` }))).kind).toBe('network');
    expect(drops()).toBe(7); // once more only
    dropsLeft = 0;
  });

  it('P2.5 a slow server is cut off at the call timeout (headers or body), and by the caller aborting', async () => {
    expect((await refusal(client.request({ url: `http://${ALLOWED_HOST}:${allowed.port}/slow`, timeoutMs: 200 }))).kind).toBe('timeout');
    expect((await refusal(client.request({ url: `http://${ALLOWED_HOST}:${allowed.port}/slow-body`, timeoutMs: 200 }))).kind).toBe('timeout');
    expect((await refusal(client.request({ url: `http://${ALLOWED_HOST}:${allowed.port}/slow`, signal: AbortSignal.timeout(100) }))).kind).toBe('timeout');
  });

  it('P2.5 the whole call is bounded: an answer that keeps trickling in is cut off at the call timeout', async () => {
    const started = performance.now();
    expect((await refusal(client.request({ url: `http://${ALLOWED_HOST}:${allowed.port}/trickle`, timeoutMs: 300 }))).kind).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('a call builds no AbortController (an EventTarget: ~10 µs a call in Node 20, a tenth of a small call\'s CPU)', async () => {
    const Original = globalThis.AbortController;
    let built = 0;
    globalThis.AbortController = class extends Original {
      constructor() {
        super();
        built += 1;
      }
    };
    try {
      expect((await client.request({ url: `http://${ALLOWED_HOST}:${allowed.port}/ok` })).status).toBe(200);
      expect(built).toBe(0);
    } finally {
      globalThis.AbortController = Original;
    }
  });

  it('P2.5 refusalOfUrl judges configured URLs the same way, before they are stored', async () => {
    expect(await client.refusalOfUrl(`http://${ALLOWED_HOST}:${allowed.port}/`)).toBeUndefined();
    expect(await client.refusalOfUrl('https://not-resolvable-yet.test/')).toBeUndefined();
    expect(await client.refusalOfUrl('http://169.254.169.254/')).toContain('cloud metadata');
    expect(await client.refusalOfUrl('http://[::ffff:127.0.0.1]/')).toContain('loopback');
    expect(await client.refusalOfUrl('http://rebinds-to-loopback.test/')).toContain('resolves to a loopback');
    expect(await client.refusalOfUrl('ftp://example.com/')).toContain('only http and https');
  });

  it('P2.5 urlRefusals names each refused field of a configuration and skips fields without a URL', async () => {
    expect(await client.urlRefusals([['ok', `http://${ALLOWED_HOST}:${allowed.port}/`], ['absent', undefined], ['metadata', 'http://169.254.169.254/']])).toEqual([
      { field: 'metadata', message: expect.stringMatching(/^metadata may not be called: .*cloud metadata/) },
    ]);
  });
});
