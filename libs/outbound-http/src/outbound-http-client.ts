import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { Agent, type Dispatcher } from 'undici';
import { OutboundAddressPolicy } from './address-policy';
import { guardedConnector } from './guarded-connector';
import { type HostResolver, systemResolver } from './host-resolver';
import { findOutboundError, OutboundHttpError } from './outbound-errors';

export interface OutboundHttpOptions {
  /** The deployment's allow-list (CIDRs, addresses, exact host names) or a ready policy. */
  allow?: readonly string[] | OutboundAddressPolicy;
  /** Name resolution; the system resolver unless a test injects one. */
  resolver?: HostResolver;
  /** Time for a whole call (connect, headers, body) unless the call names its own. Default 10 s. */
  timeoutMs?: number;
  /** Largest answer body read, in bytes, unless the call names its own. Default 1 MiB. */
  maxResponseBytes?: number;
  /** Redirects followed (each target checked like the first URL); 0, the default, refuses them. */
  maxRedirects?: number;
  /** Kept-alive connections per origin. Default 64. */
  connectionsPerOrigin?: number;
}

export type OutboundMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface OutboundRequest {
  url: string | URL;
  method?: OutboundMethod;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
  maxResponseBytes?: number;
  /** Aborts the call (e.g. the caller's overall budget); reported as a timeout. */
  signal?: AbortSignal;
}

/** An answer whose body is read as a stream (files of any size): see OutboundHttpClient.stream. */
export interface OutboundStreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The body as UTF-8 text. */
  text(): string;
  /** The body parsed as JSON; an OutboundHttpError('network') when it is not JSON. */
  json<T = unknown>(): T;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * HTTP client for URLs an administrator configured (P2.5): http/https only, no credentials in the
 * URL, every connection's address checked by the policy (see guardedConnector), redirects refused
 * or re-checked, answers capped in size, every call bounded in time. Built on undici.
 */
export class OutboundHttpClient {
  readonly policy: OutboundAddressPolicy;
  private readonly resolve: HostResolver;
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly maxRedirects: number;

  constructor(options: OutboundHttpOptions = {}) {
    this.policy = options.allow instanceof OutboundAddressPolicy ? options.allow : OutboundAddressPolicy.fromEntries(options.allow ?? []);
    this.resolve = options.resolver ?? systemResolver;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.maxRedirects = options.maxRedirects ?? 0;
    this.agent = new Agent({ connect: guardedConnector(this.policy, this.resolve, this.timeoutMs), connections: options.connectionsPerOrigin ?? 64 });
  }

  /** The refusals of configured URLs, one per refused field (`<field> may not be called: <why>`); a field without a URL is skipped. */
  async urlRefusals(urls: Iterable<readonly [field: string, url: string | undefined]>): Promise<{ field: string; message: string }[]> {
    const problems = [];
    for (const [field, url] of urls) {
      const refusal = url === undefined ? undefined : await this.refusalOfUrl(url);
      if (refusal) problems.push({ field, message: `${field} may not be called: ${refusal}` });
    }
    return problems;
  }

  /**
   * Why this URL may not be configured, or undefined: scheme, credentials, an IP literal in a refused
   * range, or a name that resolves to one now. A name that does not resolve yet is accepted; the
   * address is checked again on every connection anyway.
   */
  async refusalOfUrl(raw: string): Promise<string | undefined> {
    const url = parseUrl(raw);
    if (typeof url === 'string') return url;
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(host)) {
      const refusal = this.policy.refusalOf(host);
      return refusal && `${host} is a ${refusal}, which outbound calls may not reach`;
    }
    if (this.policy.allowsHost(host)) return undefined;
    const addresses = await this.resolve(host).catch(() => []);
    for (const { address } of addresses) {
      const refusal = this.policy.refusalOf(address);
      if (refusal) return `${host} resolves to a ${refusal}, which outbound calls may not reach`;
    }
    return undefined;
  }

  async request(request: OutboundRequest): Promise<OutboundResponse> {
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    // One abort switch and one timer, cleared when the call ends: AbortSignal.timeout() would leave a
    // timer per call that fires (and builds an exception) long after the answer came.
    const call = new CallAbort();
    const timer = setTimeout(() => call.abort(), timeoutMs);
    const callerSignal = request.signal;
    const onCallerAbort = () => call.abort();
    if (callerSignal?.aborted) call.abort();
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      return await this.follow(request, call, timeoutMs);
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    }
  }

  private async follow(request: OutboundRequest, signal: CallAbort, timeoutMs: number): Promise<OutboundResponse> {
    let url = parseUrl(request.url);
    let method = request.method ?? 'GET';
    let body = request.body;
    for (let redirects = 0; ; redirects++) {
      if (typeof url === 'string') throw new OutboundHttpError('url-refused', url);
      if (signal.aborted) throw new OutboundHttpError('timeout', `${method} ${describe(url)}: no answer within ${timeoutMs} ms`);
      const response = await this.send(url, { method, headers: request.headers, body, signal }, timeoutMs);
      const location = REDIRECT_STATUSES.has(response.statusCode) ? firstHeader(response.headers['location']) : undefined;
      if (location === undefined) return this.readAnswer(response, request.maxResponseBytes ?? this.maxResponseBytes, signal, timeoutMs);
      discard(response.body);
      const target = parseUrl(new URL(location, url).toString());
      if (redirects >= this.maxRedirects) {
        throw new OutboundHttpError('redirect-refused', `${describe(url)} answered ${response.statusCode} redirecting to ${typeof target === 'string' ? location : describe(target)}; redirects are not followed`);
      }
      if (typeof target === 'string') throw new OutboundHttpError('redirect-refused', `${describe(url)} redirected to a refused URL: ${target}`);
      if (response.statusCode === 303 || ((response.statusCode === 301 || response.statusCode === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
      url = target;
    }
  }

  /**
   * A GET whose answer body is streamed, not buffered (SE3.5): the same URL checks and guarded
   * connections as request(); redirects are refused; `timeoutMs` bounds the connection and the wait
   * for headers, and then each silence between chunks (not the whole transfer, which may be long).
   * The caller reads or destroys the body.
   */
  async stream(request: Pick<OutboundRequest, 'url' | 'headers' | 'timeoutMs' | 'signal'>): Promise<OutboundStreamResponse> {
    const url = parseUrl(request.url);
    if (typeof url === 'string') throw new OutboundHttpError('url-refused', url);
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    const signal = request.signal ?? new AbortController().signal;
    const response = await this.send(url, { method: 'GET', headers: request.headers, signal }, timeoutMs);
    if (REDIRECT_STATUSES.has(response.statusCode)) {
      discard(response.body);
      throw new OutboundHttpError('redirect-refused', `${describe(url)} answered ${response.statusCode}, a redirect; redirects are not followed`);
    }
    return { status: response.statusCode, headers: response.headers, body: response.body };
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private async send(url: URL, init: OutgoingCall, timeoutMs: number): Promise<Dispatcher.ResponseData> {
    const what = `${init.method} ${describe(url)}`;
    try {
      return await this.requestOnce(url, init, timeoutMs);
    } catch (error) {
      // A kept-alive connection the server closed just as it was reused fails before any answer; a GET
      // (no body, no effect) is sent once more on a fresh connection, as browsers do.
      const stale = init.method === 'GET' && !init.signal.aborted && STALE_CONNECTION_CODES.has((error as { code?: string }).code ?? '');
      if (!stale) throw asOutboundError(error, init.signal, what, timeoutMs);
    }
    return this.requestOnce(url, init, timeoutMs).catch((error: unknown) => {
      throw asOutboundError(error, init.signal, what, timeoutMs);
    });
  }

  private requestOnce(url: URL, init: OutgoingCall, timeoutMs: number): Promise<Dispatcher.ResponseData> {
    return this.agent.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: init.method,
      headers: init.headers,
      body: init.body,
      signal: init.signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  }

  private async readAnswer(response: Dispatcher.ResponseData, maxBytes: number, signal: CallSignal, timeoutMs: number): Promise<OutboundResponse> {
    const declared = Number(firstHeader(response.headers['content-length']));
    if (Number.isFinite(declared) && declared > maxBytes) {
      discard(response.body);
      throw new OutboundHttpError('response-too-large', `the answer declares ${declared} bytes, more than the ${maxBytes} allowed`);
    }
    const body = await readCapped(response.body, maxBytes).catch((error: unknown) => {
      throw asOutboundError(error, signal, 'reading the answer', timeoutMs);
    });
    return {
      status: response.statusCode,
      headers: response.headers,
      body,
      text: () => body.toString('utf8'),
      json: <T>() => {
        try {
          return JSON.parse(body.toString('utf8')) as T;
        } catch {
          throw new OutboundHttpError('network', `the answer (status ${response.statusCode}) is not JSON`);
        }
      },
    };
  }
}

/** A URL the client may call, or why not. */
function parseUrl(raw: string | URL): URL | string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `uses ${url.protocol.replace(/:$/, '')}; only http and https are allowed`;
  if (url.username || url.password) return 'carries credentials; put them in the settings, not the URL';
  return url;
}

/** Origin and path only: query strings may carry secrets or personal data. */
function describe(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * The whole body, refused past `maxBytes`. Read with data/end listeners, not `for await`: the async iterator costs
 * several promises per chunk, a measurable share of a sender making thousands of small calls a second.
 */
function readCapped(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    // Each way out settles once; errors are built only when they are the answer ('close' follows every 'end').
    const fail = (error: () => Error) => {
      if (settled) return;
      settled = true;
      reject(error());
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      body.off('data', onData);
      discard(body);
      fail(() => new OutboundHttpError('response-too-large', `the answer is larger than the ${maxBytes} bytes allowed`));
    };
    body.on('data', onData);
    body.once('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, size));
    });
    body.once('error', (error: Error) => fail(() => error));
    // Destroyed without an error or an end (nothing else reads it): never left pending.
    body.once('close', () => fail(() => new OutboundHttpError('network', 'the answer ended before it was complete')));
  });
}

/** Stops reading an answer; its stream reports the abort as an error, which nobody needs to see. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** What a call's code asks of its signal: an AbortSignal (stream()) or a CallAbort (request()). */
interface CallSignal {
  readonly aborted: boolean;
}

interface OutgoingCall {
  method: OutboundMethod;
  headers?: Record<string, string>;
  body?: string | Buffer;
  signal: AbortSignal | CallAbort;
}

/**
 * A request()'s abort switch (its time budget, the caller's signal), handed to undici as the request's signal: undici
 * takes an EventEmitter there as well as an AbortSignal (documented), and reads `aborted`. An AbortController with its
 * listener cost ~10 µs a call (an EventTarget, Node 20), against well under 1 µs for this: a tenth of the CPU of a
 * small call such as a Twilio send.
 */
class CallAbort extends EventEmitter implements CallSignal {
  aborted = false;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.emit('abort');
  }
}

/** How a connection that died before the answer's headers fails (a reset, or undici's "other side closed"). */
const STALE_CONNECTION_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

function asOutboundError(error: unknown, signal: CallSignal, what: string, timeoutMs: number): OutboundHttpError {
  const known = findOutboundError(error);
  if (known) return known;
  const code = (error as { code?: string }).code;
  if (signal.aborted || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new OutboundHttpError('timeout', `${what}: no answer within ${timeoutMs} ms`, { cause: error });
  }
  return new OutboundHttpError('network', `${what} failed: ${(error as Error).message ?? String(error)}`, { cause: error });
}
