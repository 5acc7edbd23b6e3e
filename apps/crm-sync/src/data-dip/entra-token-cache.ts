import { OutboundHttpClient } from '@switchboard/outbound-http';
import { z } from 'zod';
import type { DynamicsConnection } from './dynamics-connection';
import { DataDipFailure } from './data-dip-failure';
import { dataDipFailureOf, dataDipFailureOfStatus } from './outbound-failure';

/** A token is replaced this long before it expires (at most a tenth of its lifetime). */
const REFRESH_MARGIN_SECONDS = 300;
/** A token request that callers share is not cut short by the first caller's budget, only by this. */
const TOKEN_REQUEST_TIMEOUT_MS = 10_000;

const tokenAnswer = z.object({
  access_token: z.string().min(1),
  // v2.0 endpoints answer a number, v1.0 a string of digits.
  expires_in: z.coerce.number().int().positive(),
});

interface CachedToken {
  accessToken: string;
  refreshAt: number;
}

/**
 * OAuth 2.0 client-credentials tokens from the tenant's Microsoft Entra token endpoint, scope
 * `<organization>/.default`. A token is reused until shortly before it expires; when several data
 * dips need a new one at once, one request is made and all of them wait for it (each only as long
 * as its own budget allows).
 */
export class EntraTokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<CachedToken>>();

  constructor(
    private readonly http: OutboundHttpClient,
    private readonly now: () => number = Date.now,
  ) {}

  async tokenFor(connection: DynamicsConnection, signal: AbortSignal): Promise<string> {
    const key = keyOf(connection);
    const cached = this.tokens.get(key);
    if (cached && this.now() < cached.refreshAt) return cached.accessToken;
    let request = this.pending.get(key);
    if (!request) {
      request = this.requestToken(connection).finally(() => this.pending.delete(key));
      this.pending.set(key, request);
      // Another caller's budget may end first; the shared request must not be an unhandled rejection.
      request.catch(() => undefined);
    }
    return (await untilAborted(request, signal)).accessToken;
  }

  /** Forgets the token (Dataverse refused it) so that the next call asks for a new one. */
  invalidate(connection: DynamicsConnection): void {
    this.tokens.delete(keyOf(connection));
  }

  private async requestToken(connection: DynamicsConnection): Promise<CachedToken> {
    const what = 'the Entra token endpoint';
    const form = new URLSearchParams({
      client_id: connection.clientId,
      client_secret: connection.clientSecret,
      grant_type: 'client_credentials',
      scope: `${connection.organizationUrl}/.default`,
    });
    let response;
    try {
      response = await this.http.request({
        url: connection.tokenUrl,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        timeoutMs: TOKEN_REQUEST_TIMEOUT_MS,
      });
    } catch (error) {
      throw dataDipFailureOf(error, what);
    }
    if (response.status !== 200) throw dataDipFailureOfStatus(response, what);
    const parsed = tokenAnswer.safeParse(safeJson(response.json.bind(response)));
    if (!parsed.success) throw new DataDipFailure('crm_error', `${what} answered 200 without access_token and expires_in`);
    const lifetime = parsed.data.expires_in;
    const token = { accessToken: parsed.data.access_token, refreshAt: this.now() + (lifetime - Math.min(REFRESH_MARGIN_SECONDS, lifetime / 10)) * 1000 };
    this.tokens.set(keyOf(connection), token);
    return token;
  }
}

function keyOf(connection: DynamicsConnection): string {
  return `${connection.tenantId}:${connection.version}`;
}

function safeJson(read: () => unknown): unknown {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** The promise's outcome, or a crm_timeout once the signal aborts first. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new DataDipFailure('crm_timeout', 'the answer budget ran out waiting for a token'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DataDipFailure('crm_timeout', 'the answer budget ran out waiting for a token'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
