import { AsyncLocalStorage } from 'node:async_hooks';
import type { OutboundHttpClient, OutboundMethod } from '@switchboard/outbound-http';
import { retryAfterMs } from '../retry-after';
import RequestClient from 'twilio/lib/base/RequestClient';
import TwilioResponse from 'twilio/lib/http/response';

/** What one SDK call saw of the HTTP answer that the SDK's exceptions leave out (Retry-After). */
export interface TwilioCallContext {
  retryAfterMs?: number;
}

const callContext = new AsyncLocalStorage<TwilioCallContext>();

/** Runs one SDK call and returns, beside its outcome, the Retry-After its answer carried. */
export async function withTwilioCallContext<T>(call: () => Promise<T>): Promise<{ context: TwilioCallContext; outcome: PromiseSettledResult<T> }> {
  const context: TwilioCallContext = {};
  // try/await rather than Promise.allSettled([…]): an array and two promises fewer per send (the sender's hot path).
  try {
    return { context, outcome: { status: 'fulfilled', value: await callContext.run(context, call) } };
  } catch (reason) {
    return { context, outcome: { status: 'rejected', reason } };
  }
}

/**
 * The `twilio` SDK's documented custom `httpClient`: it receives the absolute `https://api.twilio.com/…` URI.
 * Requests go through our SSRF-guarded undici client (bounded time and size, no redirects). With `apiBaseUrl`
 * (the simulator), Twilio's origin is replaced by it; nothing else in the request changes.
 */
export class GuardedTwilioRequestClient extends RequestClient {
  /** The simulator's origin, parsed once (not per request). */
  private readonly base?: URL;
  /** The last Basic credentials and their header: one account per client, so encoded once, not per request. */
  private basic?: { username: string; password: string; header: string };

  constructor(
    private readonly http: OutboundHttpClient,
    apiBaseUrl?: string,
  ) {
    super({ keepAlive: true });
    this.base = apiBaseUrl === undefined ? undefined : new URL(apiBaseUrl);
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<TwilioResponse<TData>> {
    const url = this.target(opts.uri, opts.params);
    const headers: Record<string, string> = {};
    const given = opts.headers ?? {};
    for (const name in given) {
      const value = given[name];
      if (value !== undefined && name.toLowerCase() !== 'connection') headers[name] = String(value);
    }
    if (opts.username && opts.password) headers['Authorization'] = this.basicAuthorization(opts.username, opts.password);
    else if (opts.authStrategy) headers['Authorization'] = await opts.authStrategy.getAuthString();
    let body: string | undefined;
    if (opts.data !== undefined) {
      const form = new URLSearchParams();
      appendParams(form, opts.data);
      body = headers['Content-Type'] === 'application/json' ? JSON.stringify(opts.data) : form.toString();
    }
    const response = await this.http.request({ url, method: opts.method.toUpperCase() as OutboundMethod, headers, body, timeoutMs: opts.timeout });
    const context = callContext.getStore();
    if (context) context.retryAfterMs = retryAfterMs(response.headers['retry-after']);
    // The SDK parses a string body itself (JSON.parse) for both answers and errors.
    return new TwilioResponse(response.status, response.text() as TData, response.headers);
  }

  private basicAuthorization(username: string, password: string): string {
    if (this.basic?.username !== username || this.basic.password !== password) {
      this.basic = { username, password, header: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
    }
    return this.basic.header;
  }

  /**
   * The URL to call. The SDK hands over an absolute URI it has just normalised (its own `new URL(…).href`), so
   * when there are no query parameters to add, the simulator's origin replaces Twilio's by text: the same URL as
   * parsing it and resolving its path against the base, without the two URL parses per send.
   */
  private target(uri: string, params: unknown): string | URL {
    const schemeEnd = uri.indexOf('://');
    const pathStart = schemeEnd > 0 ? uri.indexOf('/', schemeEnd + 3) : -1;
    if (!hasEntries(params) && pathStart > 0 && !uri.includes('#')) return this.base ? `${this.base.origin}${uri.slice(pathStart)}` : uri;
    const url = new URL(uri);
    const target = this.base ? new URL(`${url.pathname}${url.search}`, this.base) : url;
    appendParams(target.searchParams, params);
    return target;
  }
}

function hasEntries(params: unknown): boolean {
  if (!params || typeof params !== 'object') return false;
  for (const _name in params) return true;
  return false;
}

/** Form or query parameters as Twilio's SDK encodes them (arrays repeat the name, dates as ISO, no undefined). */
function appendParams(target: URLSearchParams, params: unknown): void {
  if (!params || typeof params !== 'object') return;
  for (const [name, value] of Object.entries(params as Record<string, unknown>)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one === undefined || one === null) continue;
      target.append(name, one instanceof Date ? one.toISOString() : String(one));
    }
  }
}
