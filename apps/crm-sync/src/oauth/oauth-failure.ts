import { findOutboundError } from '@switchboard/outbound-http';

/**
 * Why no token came (RFC 6749 §5.2 and transport): `invalid_client` (client id or secret refused),
 * `invalid_grant` (the refresh token or code is expired, revoked or was issued to someone else — the
 * administrator must connect again), `throttled` (429, with Retry-After), `refused` (the SSRF guard
 * refused the address or a redirect), `timeout`, or `error` (another status, a malformed answer).
 */
export type OAuthFailureKind = 'invalid_client' | 'invalid_grant' | 'throttled' | 'refused' | 'timeout' | 'error';

export class OAuthFailure extends Error {
  constructor(
    readonly kind: OAuthFailureKind,
    message: string,
    readonly status?: number,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'OAuthFailure';
  }
}

/** An error of openid-client or of the guarded fetch under it as an OAuthFailure; others are returned unchanged. */
export function oauthFailureOf(error: unknown, what: string): unknown {
  if (error instanceof OAuthFailure) return error;
  const outbound = findOutboundError(error);
  if (outbound) {
    const kind = outbound.kind === 'timeout' ? 'timeout' : outbound.kind === 'network' || outbound.kind === 'response-too-large' ? 'error' : 'refused';
    return new OAuthFailure(kind, `${what}: ${outbound.message}`);
  }
  const response = responseOf(error);
  const oauthError = (error as { error?: unknown }).error;
  if (typeof oauthError === 'string' && /^[\x20-\x7e]{1,100}$/.test(oauthError)) {
    const kind = oauthError === 'invalid_client' || oauthError === 'invalid_grant' ? oauthError : 'error';
    // The error code only: error_description may echo what was sent.
    return new OAuthFailure(kind, `${what} answered ${response?.status ?? 'an error'} (${oauthError})`, response?.status);
  }
  if (response) {
    if (response.status === 429) return new OAuthFailure('throttled', `${what} answered 429`, 429, retryAfterSeconds(response.headers.get('retry-after')));
    return new OAuthFailure('error', `${what} answered ${response.status}`, response.status);
  }
  if (isOpenIdClientError(error)) return new OAuthFailure('error', `${what}: ${(error as Error).message}`);
  return error;
}

/** openid-client puts the token endpoint's Response in the error or its cause. */
function responseOf(error: unknown): Response | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    if (current instanceof Response) return current;
    const response = (current as { response?: unknown }).response;
    if (response instanceof Response) return response;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function isOpenIdClientError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('OAUTH_');
}

function retryAfterSeconds(value: string | null): number {
  if (value && /^\d+$/.test(value.trim())) return Number(value.trim());
  const date = value ? Date.parse(value) : NaN;
  return Number.isFinite(date) ? Math.max(0, Math.ceil((date - Date.now()) / 1000)) : 1;
}
