import { createHash, randomBytes } from 'node:crypto';
import { sameText } from '../simulator-http';

/** The simulated CRM's OAuth 2.0 authorization server (RFC 6749, PKCE RFC 7636). */
export interface CrmOAuthOptions {
  clientId: string;
  clientSecret: string;
  /** How the client must present its secret (§2.3.1); `any` takes either. Default `any`. */
  clientAuth?: 'basic' | 'post' | 'any';
  /** Default 3600. */
  tokenLifetimeSeconds?: number;
  /** Redirect URIs the client registered; the authorization request must use one of them (or none: the first). */
  redirectUris?: string[];
  /** A refresh grant answers a new refresh token and retires the old one. Default true. */
  rotateRefreshTokens?: boolean;
}

export interface OAuthAnswer {
  status: number;
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
}

interface IssuedCode {
  clientId: string;
  redirectUri?: string;
  codeChallenge?: string;
  scope?: string;
  expiresAt: number;
}

const CODE_LIFETIME_MS = 10 * 60_000;

/**
 * Authorization endpoint (`GET /oauth/authorize`: consent is given at once, the browser is sent back to
 * the redirect URI with `code` and `state`) and token endpoint (`POST /oauth/token`: client_credentials,
 * authorization_code with PKCE S256, refresh_token). Errors in the RFC's shape: `invalid_client` (401,
 * with WWW-Authenticate when Basic was used), `invalid_grant`, `invalid_request`, `unsupported_grant_type`.
 * Access tokens are opaque and expire; codes are single-use.
 */
export class CrmOAuthServer {
  readonly accessTokens = new Map<string, number>();
  readonly refreshTokens = new Set<string>();
  private readonly codes = new Map<string, IssuedCode>();

  constructor(readonly options: CrmOAuthOptions) {}

  /** GET /oauth/authorize: 302 back to the client, or 400 when the client or its redirect URI is not known (§4.1.2.1: never redirect then). */
  authorize(query: URLSearchParams): OAuthAnswer {
    const clientId = query.get('client_id');
    if (clientId !== this.options.clientId) return { status: 400, body: oauthError('invalid_request', 'unknown client_id') };
    const registered = this.options.redirectUris ?? [];
    const asked = query.get('redirect_uri') ?? undefined;
    const target = asked ?? registered[0];
    if (!target || (registered.length > 0 && !registered.includes(target))) return { status: 400, body: oauthError('invalid_request', 'redirect_uri is not registered for this client') };
    const back = new URL(target);
    const state = query.get('state');
    if (state !== null) back.searchParams.set('state', state);
    if (query.get('response_type') !== 'code') {
      back.searchParams.set('error', 'unsupported_response_type');
      return { status: 302, headers: { location: back.toString() } };
    }
    const challenge = query.get('code_challenge') ?? undefined;
    if (challenge !== undefined && query.get('code_challenge_method') !== 'S256') {
      back.searchParams.set('error', 'invalid_request');
      return { status: 302, headers: { location: back.toString() } };
    }
    const code = randomBytes(16).toString('base64url');
    this.codes.set(code, { clientId, redirectUri: asked, codeChallenge: challenge, scope: query.get('scope') ?? undefined, expiresAt: Date.now() + CODE_LIFETIME_MS });
    back.searchParams.set('code', code);
    return { status: 302, headers: { location: back.toString() } };
  }

  /** POST /oauth/token with an application/x-www-form-urlencoded body. */
  token(authorization: string | undefined, contentType: string, body: string): OAuthAnswer {
    if (!contentType.startsWith('application/x-www-form-urlencoded')) return { status: 400, body: oauthError('invalid_request', 'the body must be application/x-www-form-urlencoded') };
    const form = new URLSearchParams(body);
    const client = this.authenticate(authorization, form);
    if (client !== 'ok') return client;
    switch (form.get('grant_type')) {
      case 'client_credentials':
        return this.issue(false);
      case 'authorization_code':
        return this.codeGrant(form);
      case 'refresh_token':
        return this.refreshGrant(form);
      default:
        return { status: 400, body: oauthError('unsupported_grant_type', 'grant_type must be client_credentials, authorization_code or refresh_token') };
    }
  }

  /** Whether a Bearer token is one this server issued and has not expired. */
  acceptsAccessToken(token: string): boolean {
    const expiresAt = this.accessTokens.get(token);
    return expiresAt !== undefined && Date.now() < expiresAt;
  }

  /** Every access token expires now (the CRM answers 401 invalid_token to them). */
  expireAccessTokens(): void {
    for (const token of this.accessTokens.keys()) this.accessTokens.set(token, 0);
  }

  /** Every refresh token is revoked (a refresh grant gets invalid_grant). */
  revokeRefreshTokens(): void {
    this.refreshTokens.clear();
  }

  private authenticate(authorization: string | undefined, form: URLSearchParams): 'ok' | OAuthAnswer {
    const method = this.options.clientAuth ?? 'any';
    const basic = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(authorization ?? '');
    if (basic && method !== 'post') {
      const [id, secret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':').map((part) => decodeURIComponent(part.replace(/\+/g, ' ')));
      if (id === this.options.clientId && sameText(secret ?? '', this.options.clientSecret)) return 'ok';
      return { status: 401, body: oauthError('invalid_client', 'client authentication failed'), headers: { 'www-authenticate': 'Basic realm="crm-oauth"' } };
    }
    if (!basic && method !== 'basic' && form.has('client_secret')) {
      if (form.get('client_id') === this.options.clientId && sameText(form.get('client_secret') ?? '', this.options.clientSecret)) return 'ok';
    }
    return { status: 401, body: oauthError('invalid_client', 'client authentication failed') };
  }

  private codeGrant(form: URLSearchParams): OAuthAnswer {
    const code = this.codes.get(form.get('code') ?? '');
    this.codes.delete(form.get('code') ?? '');
    if (!code || code.expiresAt <= Date.now()) return { status: 400, body: oauthError('invalid_grant', 'the code is unknown, used or expired') };
    if (code.redirectUri !== undefined && form.get('redirect_uri') !== code.redirectUri) return { status: 400, body: oauthError('invalid_grant', 'redirect_uri differs from the authorization request') };
    if (code.codeChallenge !== undefined) {
      const verifier = form.get('code_verifier') ?? '';
      if (createHash('sha256').update(verifier).digest('base64url') !== code.codeChallenge) return { status: 400, body: oauthError('invalid_grant', 'the PKCE code_verifier does not match') };
    }
    return this.issue(true);
  }

  private refreshGrant(form: URLSearchParams): OAuthAnswer {
    const presented = form.get('refresh_token') ?? '';
    if (!this.refreshTokens.has(presented)) return { status: 400, body: oauthError('invalid_grant', 'the refresh token is unknown, revoked or expired') };
    const rotate = this.options.rotateRefreshTokens ?? true;
    if (rotate) this.refreshTokens.delete(presented);
    return this.issue(rotate);
  }

  private issue(withRefreshToken: boolean): OAuthAnswer {
    const lifetime = this.options.tokenLifetimeSeconds ?? 3600;
    const accessToken = randomBytes(24).toString('base64url');
    this.accessTokens.set(accessToken, Date.now() + lifetime * 1000);
    const body: Record<string, unknown> = { access_token: accessToken, token_type: 'Bearer', expires_in: lifetime };
    if (withRefreshToken) {
      const refreshToken = randomBytes(24).toString('base64url');
      this.refreshTokens.add(refreshToken);
      body['refresh_token'] = refreshToken;
    }
    return { status: 200, body, headers: { 'cache-control': 'no-store', pragma: 'no-cache' } };
  }
}

function oauthError(error: string, description: string): Record<string, unknown> {
  return { error, error_description: description };
}
