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
  const [outcome] = await callContext.run(context, () => Promise.allSettled([call()]));
  return { context, outcome: outcome as PromiseSettledResult<T> };
}

/**
 * The `twilio` SDK's documented custom `httpClient`: it receives the absolute `https://api.twilio.com/…` URI.
 * Requests go through our SSRF-guarded undici client (bounded time and size, no redirects). With `apiBaseUrl`
 * (the simulator), Twilio's origin is replaced by it; nothing else in the request changes.
 */
export class GuardedTwilioRequestClient extends RequestClient {
  /** The simulator's origin, parsed once (not per request). */
  private readonly base?: URL;

  constructor(
    private readonly http: OutboundHttpClient,
    apiBaseUrl?: string,
  ) {
    super({ keepAlive: true });
    this.base = apiBaseUrl === undefined ? undefined : new URL(apiBaseUrl);
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<TwilioResponse<TData>> {
    const url = this.target(opts.uri);
    appendParams(url.searchParams, opts.params);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(opts.headers ?? {})) if (value !== undefined && name.toLowerCase() !== 'connection') headers[name] = String(value);
    if (opts.username && opts.password) headers['Authorization'] = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString('base64')}`;
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

  private target(uri: string): URL {
    const url = new URL(uri);
    if (!this.base) return url;
    return new URL(`${url.pathname}${url.search}`, this.base);
  }
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
