import type { StoredOAuth } from '../oauth/crm-oauth-settings';
import type { CompiledEndpoint, CrmEndpointKind } from './crm-endpoint';
import type { PhoneFormat } from './phone-format';

/** What the engine needs of a tenant's settings to call its CRM, secrets opened. Never logged or returned. */
export interface CrmConnection {
  tenantId: string;
  phoneFormat: PhoneFormat;
  timeoutMs: number;
  reuseExistingRecords: boolean;
  endpoints: Partial<Record<CrmEndpointKind, CompiledEndpoint>>;
  /** Added to every request: Authorization for basic, the configured ones for custom headers. */
  authHeaders: Record<string, string>;
  /** OAuth 2.0 (CS1.1): the bearer token, cached and refreshed by the token source; forgotten after a 401. */
  bearer?: BearerSource;
}

export interface BearerSource {
  /** The current access token; an OAuthFailure when none can be had. */
  token(): Promise<string>;
  /** The CRM refused the token: the next token() asks for a new one. */
  invalidate(): void;
}

/** The stored, shown part of the authentication (the secrets are sealed apart). */
export type StoredAuth = { type: 'none' } | { type: 'basic'; username: string } | { type: 'custom_headers'; headerNames: string[] } | StoredOAuth;

/** The sealed part: the password, the header values by lower-cased name, or the OAuth client secret and refresh token. */
export interface AuthSecrets {
  password?: string;
  headers?: Record<string, string>;
  clientSecret?: string;
  refreshToken?: string;
}
