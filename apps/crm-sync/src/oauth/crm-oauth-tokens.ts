import { Injectable } from '@nestjs/common';
import { OutboundHttpClient } from '@switchboard/outbound-http';
import { createHash } from 'node:crypto';
import type { AuthSecrets, BearerSource } from '../crm-engine/crm-connection';
import type { StoredOAuth } from './crm-oauth-settings';
import { type IssuedToken, OAuthClient, type OAuthClientRegistration } from './oauth-client';
import { OAuthFailure } from './oauth-failure';
import { TokenCache } from './token-cache';

/** Persists a refresh token the server rotated, sealed, for the tenant. */
export type RefreshTokenSink = (refreshToken: string) => Promise<void>;

/**
 * Access tokens for tenants' CRMs (CS1.1): client credentials, or a refresh grant with the refresh token
 * the administrator's connect flow stored. Cached per tenant and client until shortly before expiry and
 * requested once under concurrency (TokenCache); a rotated refresh token is stored again, sealed.
 */
@Injectable()
export class CrmOAuthTokens {
  readonly client: OAuthClient;
  private readonly cache = new TokenCache();

  constructor(http: OutboundHttpClient) {
    this.client = new OAuthClient(http);
  }

  bearerFor(tenantId: string, auth: StoredOAuth, secrets: AuthSecrets, storeRotated: RefreshTokenSink): BearerSource {
    // The key changes with the client, its secret and its refresh token, never with unrelated settings.
    const key = `${tenantId}:${createHash('sha256').update(JSON.stringify([auth, secrets.clientSecret, secrets.refreshToken])).digest('base64url')}`;
    return {
      token: () => this.cache.get(key, () => this.issue(auth, secrets, storeRotated)),
      invalidate: () => this.cache.invalidate(key),
    };
  }

  /** Forgets a tenant's tokens (it connected again). */
  forget(tenantId: string): void {
    this.cache.invalidatePrefix(`${tenantId}:`);
  }

  private async issue(auth: StoredOAuth, secrets: AuthSecrets, storeRotated: RefreshTokenSink): Promise<IssuedToken> {
    const registration = registrationOf(auth, secrets);
    if (auth.grantType === 'client_credentials') return this.client.clientCredentials(registration, auth.scope ? { scope: auth.scope } : {});
    if (!secrets.refreshToken) throw new OAuthFailure('invalid_grant', 'the CRM is not connected yet: an administrator connects it with POST /crm/custom/oauth/authorize');
    const issued = await this.client.refresh(registration, secrets.refreshToken);
    if (issued.refreshToken && issued.refreshToken !== secrets.refreshToken) await storeRotated(issued.refreshToken);
    return issued;
  }
}

export function registrationOf(auth: StoredOAuth, secrets: AuthSecrets): OAuthClientRegistration {
  return {
    tokenUrl: auth.tokenUrl,
    ...(auth.authorizationUrl ? { authorizationUrl: auth.authorizationUrl } : {}),
    clientId: auth.clientId,
    clientSecret: secrets.clientSecret ?? '',
    clientAuthMethod: auth.clientAuthMethod,
  };
}
