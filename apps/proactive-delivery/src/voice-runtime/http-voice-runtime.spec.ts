import { SIGNATURE_HEADER, verifySignature } from '@switchboard/auth';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { aDialRequest } from './dial-request.fixture';
import { HttpVoiceRuntime } from './http-voice-runtime';
import { DialRejectedError, DialRequest } from './voice-runtime';

const SECRET = 'voice-http-signing-secret';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  rawBody: string;
  signatureValid: boolean;
}

/** A real voice-runtime endpoint on loopback: checks the signature itself and answers as the path says. */
class FakeVoiceEndpoint {
  readonly received: Received[] = [];
  private server!: Server;
  private readonly sockets = new Set<Socket>();
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const signatureValid = verifySignature({ secret: SECRET, rawBody, header: request.headers[SIGNATURE_HEADER.toLowerCase()] }).valid;
    this.received.push({ path: request.url ?? '', headers: request.headers, rawBody, signatureValid });
    if (!signatureValid) return json(response, 401, { error: 'bad signature' });
    const attemptId = (JSON.parse(rawBody) as DialRequest).attemptId;
    if (request.headers['idempotency-key'] !== attemptId) return json(response, 422, { error: 'Idempotency-Key must be the attemptId' });

    switch (request.url) {
      case '/ok':
        return json(response, 200, { callId: `call-${attemptId}` });
      case '/created':
        return json(response, 201, { callId: 'call-201', status: 'queued' });
      case '/bad-request':
        return json(response, 400, { error: 'phoneNumber is not dialable' });
      case '/rate-limited':
        return json(response, 429, { error: 'slow down' });
      case '/unavailable':
        return json(response, 503, { error: 'maintenance' });
      case '/redirect':
        response.writeHead(302, { location: `${this.url}/ok` }).end();
        return;
      case '/slow':
        setTimeout(() => json(response, 200, { callId: 'too-late' }), 2_000).unref();
        return;
      case '/huge':
        return json(response, 200, { callId: 'x', padding: 'p'.repeat(100 * 1024) });
      case '/not-json':
        response.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>');
        return;
      case '/no-call-id':
        return json(response, 200, { id: 'wrong-field' });
      default:
        return json(response, 404, { error: 'no such route' });
    }
  }
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** A loopback port nobody listens on: taken from the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const dialRequest = () =>
  aDialRequest({ attemptNumber: 2, dialingMode: 'agent_first', workflowId: 'queue-7', inputAttributes: { type: 'callback', orderNumber: 'A-1' } });

describe('HttpVoiceRuntime against a real HTTP endpoint (PD4.3)', () => {
  const endpoint = new FakeVoiceEndpoint();
  const runtime = (path: string, options: { secret?: string; timeoutMs?: number } = {}) =>
    new HttpVoiceRuntime({ url: `${endpoint.url}${path}`, signingSecret: options.secret ?? SECRET, timeoutMs: options.timeoutMs ?? 2_000 });

  beforeAll(() => endpoint.start());
  afterAll(() => endpoint.stop());
  beforeEach(() => {
    endpoint.received.length = 0;
  });

  it('PD4.3 POSTs the dial request as signed JSON with Idempotency-Key = attemptId, and maps 200 {callId}', async () => {
    const request = dialRequest();
    const accepted = await runtime('/ok').dial(request);

    expect(accepted).toEqual({ providerCallId: `call-${request.attemptId}` });
    const [received] = endpoint.received;
    expect(received?.signatureValid).toBe(true);
    expect(received?.headers['idempotency-key']).toBe(request.attemptId);
    expect(received?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(received?.rawBody ?? '')).toEqual(request);
  });

  it('PD4.3 any 2xx with a callId is accepted', async () => {
    await expect(runtime('/created').dial(dialRequest())).resolves.toEqual({ providerCallId: 'call-201' });
  });

  it('PD4.3 a request signed with another secret is refused by the endpoint, and that 401 is permanent', async () => {
    await expect(runtime('/ok', { secret: 'wrong-secret' }).dial(dialRequest())).rejects.toBeInstanceOf(DialRejectedError);
    expect(endpoint.received[0]?.signatureValid).toBe(false);
  });

  it('PD4.3 a 400 is a permanent refusal (DialRejectedError) that quotes the endpoint', async () => {
    const failure = runtime('/bad-request').dial(dialRequest());
    await expect(failure).rejects.toBeInstanceOf(DialRejectedError);
    await expect(failure).rejects.toThrow(/refused the dial with 400: \{"error":"phoneNumber is not dialable"\}/);
  });

  it.each([
    ['/unavailable', /answered 503/],
    ['/rate-limited', /answered 429/],
    ['/redirect', /answered 302/],
    ['/not-json', /without a JSON body/],
    ['/no-call-id', /without a callId/],
    ['/huge', /larger than 65536 bytes/],
  ])('PD4.3 %s is a transient failure (plain Error, retried by the dispatcher)', async (path, message) => {
    const failure = runtime(path).dial(dialRequest());
    await expect(failure).rejects.toThrow(message);
    await expect(failure).rejects.not.toBeInstanceOf(DialRejectedError);
  });

  it('PD4.3 the redirect is not followed', async () => {
    await expect(runtime('/redirect').dial(dialRequest())).rejects.toThrow();
    expect(endpoint.received.map((r) => r.path)).toEqual(['/redirect']);
  });

  it('PD4.3 an endpoint slower than VOICE_HTTP_TIMEOUT_MS is a transient timeout', async () => {
    const started = Date.now();
    const failure = runtime('/slow', { timeoutMs: 200 }).dial(dialRequest());
    await expect(failure).rejects.toThrow(/timed out/);
    await expect(failure).rejects.not.toBeInstanceOf(DialRejectedError);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('PD4.3 an unreachable endpoint is a transient network failure', async () => {
    const closed = new HttpVoiceRuntime({ url: `http://127.0.0.1:${await closedPort()}/dial`, signingSecret: SECRET, timeoutMs: 2_000 });
    const failure = closed.dial(dialRequest());
    await expect(failure).rejects.toThrow(/could not be reached \(ECONNREFUSED\)/);
    await expect(failure).rejects.not.toBeInstanceOf(DialRejectedError);
  });

  it('PD4.3 errors never carry the signing secret, the query string or URL credentials', async () => {
    const withQuery = new HttpVoiceRuntime({ url: `${endpoint.url}/unavailable?token=abc123`, signingSecret: SECRET, timeoutMs: 2_000 });
    const error = (await withQuery.dial(dialRequest()).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain(`${endpoint.url}/unavailable`);
    expect(error.message).not.toContain('abc123');
    expect(error.message).not.toContain(SECRET);
    expect(() => new HttpVoiceRuntime({ url: 'http://user:pw@127.0.0.1/dial', signingSecret: SECRET, timeoutMs: 100 })).toThrow(/credentials/);
  });
});
