import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OutboundHttpClient } from './outbound-http-client';

// Counts every OutboundHttpError built: an Error captures its stack, a real cost on a path that answers thousands
// of calls a second, so a call that succeeds must build none.
const built = vi.hoisted(() => ({ errors: 0 }));
vi.mock('./outbound-errors', async (importOriginal) => {
  const original = await importOriginal<typeof import('./outbound-errors')>();
  class CountedOutboundHttpError extends original.OutboundHttpError {
    constructor(...args: ConstructorParameters<typeof original.OutboundHttpError>) {
      super(...args);
      built.errors++;
    }
  }
  return { ...original, OutboundHttpError: CountedOutboundHttpError };
});

const HOST = '127.0.0.2';

describe('outbound answers read whole (P2.5 client)', () => {
  let server: Server;
  let base: string;
  const client = new OutboundHttpClient({ allow: [`${HOST}/32`] });

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/chunked') {
        response.write('{"part":');
        setImmediate(() => response.end('1}'));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
    base = `http://${HOST}:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await client.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('builds no error for answers that arrive whole, in one piece or in chunks', async () => {
    built.errors = 0;
    for (let call = 0; call < 20; call++) {
      expect((await client.request({ url: `${base}/whole` })).json()).toEqual({ ok: true });
      expect((await client.request({ url: `${base}/chunked` })).json()).toEqual({ part: 1 });
    }
    expect(built.errors).toBe(0);
  });

  it('still refuses an answer over the cap, with the error saying so', async () => {
    built.errors = 0;
    await expect(client.request({ url: `${base}/whole`, maxResponseBytes: 4 })).rejects.toMatchObject({ kind: 'response-too-large' });
    expect(built.errors).toBeGreaterThan(0);
  });
});
