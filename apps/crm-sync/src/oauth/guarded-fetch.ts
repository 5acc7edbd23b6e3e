import type { OutboundHttpClient, OutboundMethod } from '@switchboard/outbound-http';

const METHODS = new Set<string>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A fetch for openid-client's `customFetch` that sends through the SSRF-guarded client (P2.5):
 * token and authorization-server URLs are configured by administrators, so they get the same
 * address checks, redirect refusal, size cap and time bound as every other configured URL.
 * Errors of the guarded client (OutboundHttpError) propagate unchanged.
 */
export function guardedFetch(http: OutboundHttpClient, timeoutMs: number) {
  return async (url: string, options: { method: string; headers: HeadersInit; body?: unknown; signal?: AbortSignal | null }): Promise<Response> => {
    const method = options.method.toUpperCase();
    if (!METHODS.has(method)) throw new TypeError(`the OAuth client asked for ${method}, which is not sent`);
    const answer = await http.request({
      url,
      method: method as OutboundMethod,
      headers: Object.fromEntries(new Headers(options.headers).entries()),
      body: bodyOf(options.body),
      timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
    }
    // A Response may not carry a body with these statuses.
    const empty = answer.status === 204 || answer.status === 205 || answer.status === 304;
    return new Response(empty ? null : new Uint8Array(answer.body), { status: answer.status, headers });
  };
}

function bodyOf(body: unknown): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof Uint8Array) return Buffer.from(body);
  throw new TypeError('the OAuth client sent a body of an unexpected kind');
}
