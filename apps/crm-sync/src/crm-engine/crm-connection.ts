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
}

/** The stored, shown part of the authentication (the secrets are sealed apart). */
export type StoredAuth = { type: 'none' } | { type: 'basic'; username: string } | { type: 'custom_headers'; headerNames: string[] };

/** The sealed part: the password, or the header values by lower-cased name. */
export interface AuthSecrets {
  password?: string;
  headers?: Record<string, string>;
}
