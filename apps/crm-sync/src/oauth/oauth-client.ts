import type { OutboundHttpClient } from '@switchboard/outbound-http';
import * as openid from 'openid-client';
import { guardedFetch } from './guarded-fetch';
import { OAuthFailure, oauthFailureOf } from './oauth-failure';

/** RFC 6749 §2.3.1: the secret in an Authorization: Basic header, or in the form. */
export const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];

/** An OAuth 2.0 client registration at one authorization server. Holds a secret: never logged or returned. */
export interface OAuthClientRegistration {
  tokenUrl: string;
  /** Only for the authorization code grant. */
  authorizationUrl?: string;
  clientId: string;
  clientSecret: string;
  clientAuthMethod: ClientAuthMethod;
}

/** A token endpoint's answer. */
export interface IssuedToken {
  accessToken: string;
  /** Seconds from issue; undefined when the server did not say. */
  expiresInSeconds?: number;
  /** A new refresh token, when the server issued (or rotated) one. */
  refreshToken?: string;
}

const TOKEN_REQUEST_TIMEOUT_MS = 10_000;

/**
 * OAuth 2.0 grants (RFC 6749) with openid-client: client credentials, authorization code (with PKCE)
 * and refresh. Every request goes through the SSRF-guarded client (P2.5). Failures are OAuthFailures.
 */
export class OAuthClient {
  private readonly fetch: ReturnType<typeof guardedFetch>;

  constructor(http: OutboundHttpClient, timeoutMs = TOKEN_REQUEST_TIMEOUT_MS) {
    this.fetch = guardedFetch(http, timeoutMs);
  }

  async clientCredentials(registration: OAuthClientRegistration, parameters: Record<string, string> = {}): Promise<IssuedToken> {
    return this.grant(registration, () => openid.clientCredentialsGrant(this.configure(registration), parameters));
  }

  async refresh(registration: OAuthClientRegistration, refreshToken: string, parameters: Record<string, string> = {}): Promise<IssuedToken> {
    return this.grant(registration, () => openid.refreshTokenGrant(this.configure(registration), refreshToken, parameters));
  }

  /** The code of an authorization response for tokens (§4.1.3), with the PKCE verifier; redirect_uri when the authorization request had it. */
  async exchangeCode(registration: OAuthClientRegistration, code: string, codeVerifier: string, redirectUri: string | undefined): Promise<IssuedToken> {
    const parameters: Record<string, string> = { code, code_verifier: codeVerifier, ...(redirectUri ? { redirect_uri: redirectUri } : {}) };
    return this.grant(registration, () => openid.genericGrantRequest(this.configure(registration), 'authorization_code', parameters));
  }

  /** Where to send the administrator (§4.1.1): response_type=code, client_id, PKCE S256 and the given parameters. */
  async authorizationUrl(registration: OAuthClientRegistration, codeVerifier: string, parameters: Record<string, string>): Promise<URL> {
    const challenge = await openid.calculatePKCECodeChallenge(codeVerifier);
    return openid.buildAuthorizationUrl(this.configure(registration), { response_type: 'code', ...parameters, code_challenge: challenge, code_challenge_method: 'S256' });
  }

  private configure(registration: OAuthClientRegistration): openid.Configuration {
    const server: openid.ServerMetadata = {
      // No discovery: a plain OAuth 2.0 server has no issuer document; its token URL names it.
      issuer: new URL(registration.tokenUrl).origin,
      token_endpoint: registration.tokenUrl,
      ...(registration.authorizationUrl ? { authorization_endpoint: registration.authorizationUrl } : {}),
    };
    const auth = registration.clientAuthMethod === 'client_secret_basic' ? openid.ClientSecretBasic(registration.clientSecret) : openid.ClientSecretPost(registration.clientSecret);
    const config = new openid.Configuration(server, registration.clientId, undefined, auth);
    config[openid.customFetch] = this.fetch as openid.CustomFetch;
    // http is allowed where the deployment allows it (local simulators); the guard still checks the address.
    if (new URL(registration.tokenUrl).protocol === 'http:' || registration.authorizationUrl?.startsWith('http:')) openid.allowInsecureRequests(config);
    return config;
  }

  private async grant(registration: OAuthClientRegistration, request: () => Promise<openid.TokenEndpointResponse>): Promise<IssuedToken> {
    let answer: openid.TokenEndpointResponse;
    try {
      answer = await request();
    } catch (error) {
      throw oauthFailureOf(error, `the token endpoint ${describe(registration.tokenUrl)}`);
    }
    if (typeof answer.access_token !== 'string' || answer.access_token.length === 0) throw new OAuthFailure('error', 'the token endpoint answered without an access_token');
    const expiresIn = typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in : undefined;
    return { accessToken: answer.access_token, ...(expiresIn ? { expiresInSeconds: expiresIn } : {}), ...(answer.refresh_token ? { refreshToken: answer.refresh_token } : {}) };
  }
}

/** Origin and path: a query string may carry secrets. */
function describe(raw: string): string {
  const url = new URL(raw);
  return `${url.origin}${url.pathname}`;
}
