import { Injectable, NotFoundException } from '@nestjs/common';
import { OutboundHttpClient } from '@switchboard/outbound-http';
import { SecretBox } from '@switchboard/persistence';
import { refuseFields, ValidationFailed } from '@switchboard/service-kit';
import { CrmSyncConfig } from '../config';
import { sameOAuthClient, storedOAuthOf } from '../oauth/crm-oauth-settings';
import { CrmOAuthTokens } from '../oauth/crm-oauth-tokens';
import type { AuthSecrets, CrmConnection, StoredAuth } from './crm-connection';
import { compileEndpoint, type CrmEndpointKind, type CrmEndpointSettings } from './crm-endpoint';
import { type CustomCrmSettingsRow, CustomCrmSettingsRepository } from './crm-settings.repository';
import type { CrmAuthInput, CustomCrmSettingsInput, CustomCrmSettingsView } from './crm-settings.schema';
import type { PhoneFormat } from './phone-format';

/** Per-tenant custom CRM settings (CS1, CS2): validated templates, SSRF-checked URLs (P2.5), sealed secrets (P2.4). */
@Injectable()
export class CustomCrmSettingsService {
  private readonly box: SecretBox;

  constructor(
    private readonly repository: CustomCrmSettingsRepository,
    private readonly http: OutboundHttpClient,
    private readonly oauth: CrmOAuthTokens,
    config: CrmSyncConfig,
  ) {
    this.box = new SecretBox(config.SECRETS_ENCRYPTION_KEY);
  }

  async view(tenantId: string): Promise<CustomCrmSettingsView> {
    const row = await this.repository.find(tenantId);
    if (!row) throw notConfigured();
    return viewOf(row, this.secretsOf(row));
  }

  async replace(tenantId: string, input: CustomCrmSettingsInput): Promise<CustomCrmSettingsView> {
    const existing = await this.repository.find(tenantId);
    const existingSecrets = existing ? this.secretsOf(existing) : undefined;
    const { stored, secrets } = authToStore(input.auth, existing && existingSecrets ? { auth: existing.auth, secrets: existingSecrets } : undefined);
    // Unchanged secrets keep their sealed form, so that a save without secrets leaves them as they were.
    const unchanged = existing && JSON.stringify(secrets ?? {}) === JSON.stringify(existingSecrets);
    await this.refuseUnreachableUrls(input.endpoints, input.auth);
    const row = await this.repository.save(tenantId, {
      auth: stored,
      authSecretSealed: unchanged ? existing.authSecretSealed : secrets ? this.box.seal(JSON.stringify(secrets)) : null,
      phoneFormat: input.phoneFormat,
      requestTimeoutSeconds: input.requestTimeoutSeconds,
      accountLookupUrl: input.accountLookupUrl ?? null,
      recordLookupUrl: input.recordLookupUrl ?? null,
      reuseExistingRecords: input.reuseExistingRecords,
      endpoints: input.endpoints,
    });
    return viewOf(row, secrets ?? {});
  }

  /** The tenant's connection for the engine: endpoints compiled, authentication headers ready. */
  async connectionFor(tenantId: string): Promise<CrmConnection> {
    const row = await this.repository.find(tenantId);
    if (!row) throw notConfigured();
    const secrets = this.secretsOf(row);
    const endpoints: CrmConnection['endpoints'] = {};
    for (const [kind, settings] of Object.entries(row.endpoints) as [CrmEndpointKind, CrmEndpointSettings][]) {
      endpoints[kind] = compileEndpoint(kind, settings);
    }
    const auth = row.auth;
    const bearer = auth.type === 'oauth2' ? this.oauth.bearerFor(tenantId, auth, secrets, (refreshToken) => this.storeRefreshToken(tenantId, refreshToken)) : undefined;
    return {
      tenantId,
      phoneFormat: row.phoneFormat as PhoneFormat,
      timeoutMs: row.requestTimeoutSeconds * 1000,
      reuseExistingRecords: row.reuseExistingRecords,
      endpoints,
      authHeaders: authHeadersOf(auth, secrets),
      ...(bearer ? { bearer } : {}),
    };
  }

  /** The tenant's OAuth settings and secrets (the connect flow); undefined when its CRM does not use OAuth. */
  async oauthOf(tenantId: string): Promise<{ auth: Extract<StoredAuth, { type: 'oauth2' }>; secrets: AuthSecrets } | undefined> {
    const row = await this.repository.find(tenantId);
    if (!row) throw notConfigured();
    return row.auth.type === 'oauth2' ? { auth: row.auth, secrets: this.secretsOf(row) } : undefined;
  }

  /** Keeps a refresh token (the connect flow's, or one the server rotated), sealed with the other secrets. */
  async storeRefreshToken(tenantId: string, refreshToken: string): Promise<void> {
    const row = await this.repository.find(tenantId);
    if (!row || row.auth.type !== 'oauth2') return;
    await this.repository.saveSecrets(tenantId, this.box.seal(JSON.stringify({ ...this.secretsOf(row), refreshToken })));
  }

  private secretsOf(row: CustomCrmSettingsRow): AuthSecrets {
    return row.authSecretSealed ? (JSON.parse(this.box.open(row.authSecretSealed)) as AuthSecrets) : {};
  }

  private async refuseUnreachableUrls(endpoints: CustomCrmSettingsInput['endpoints'], auth: CrmAuthInput): Promise<void> {
    // Variables may only stand in the path and query (compileEndpoint), so the host is known now.
    const urls = Object.entries(endpoints).map(([kind, endpoint]) => [`endpoints.${kind}.url`, endpoint.url.replace(/\{[^{}]*\}/g, 'x')]);
    // The token URL is called by crm-sync; the authorization URL only by the administrator's browser, but it is the same server.
    if (auth.type === 'oauth2') urls.push(['auth.tokenUrl', auth.tokenUrl], ...(auth.authorizationUrl ? [['auth.authorizationUrl', auth.authorizationUrl]] : []));
    refuseFields('UrlNotAllowed', await this.http.urlRefusals(urls as [string, string][]));
  }
}

/**
 * What of the authentication is stored in the clear and what sealed. Secrets are write-only: one left
 * out keeps the stored value (the same basic user's password, a header's value of the same name).
 */
function authToStore(input: CrmAuthInput, existing: { auth: StoredAuth; secrets: AuthSecrets } | undefined): { stored: StoredAuth; secrets?: AuthSecrets } {
  switch (input.type) {
    case 'none':
      return { stored: { type: 'none' } };
    case 'basic': {
      const password = input.password ?? (existing?.auth.type === 'basic' && existing.auth.username === input.username ? existing.secrets.password : undefined);
      if (password === undefined) throw new ValidationFailed([{ field: 'auth.password', message: 'auth.password is required when the basic user is new' }]);
      return { stored: { type: 'basic', username: input.username }, secrets: { password } };
    }
    case 'custom_headers': {
      const headers: Record<string, string> = {};
      input.headers.forEach((header, index) => {
        const name = header.name.toLowerCase();
        const value = header.value ?? (existing?.auth.type === 'custom_headers' ? existing.secrets.headers?.[name] : undefined);
        if (value === undefined) throw new ValidationFailed([{ field: `auth.headers[${index}].value`, message: `auth.headers[${index}].value is required for the new header ${header.name}` }]);
        headers[name] = value;
      });
      return { stored: { type: 'custom_headers', headerNames: input.headers.map((header) => header.name) }, secrets: { headers } };
    }
    case 'oauth2': {
      const stored = storedOAuthOf(input);
      const sameClient = existing?.auth.type === 'oauth2' && sameOAuthClient(existing.auth, stored);
      const clientSecret = input.clientSecret ?? (sameClient ? existing.secrets.clientSecret : undefined);
      if (clientSecret === undefined) throw new ValidationFailed([{ field: 'auth.clientSecret', message: 'auth.clientSecret is required for a new OAuth client' }]);
      // A refresh token belongs to its client: kept while the client is the same and its secret unchanged.
      const refreshToken = sameClient && clientSecret === existing.secrets.clientSecret ? existing.secrets.refreshToken : undefined;
      return { stored, secrets: { clientSecret, ...(refreshToken ? { refreshToken } : {}) } };
    }
  }
}

function authHeadersOf(auth: StoredAuth, secrets: AuthSecrets): Record<string, string> {
  if (auth.type === 'basic') return { authorization: `Basic ${Buffer.from(`${auth.username}:${secrets.password ?? ''}`).toString('base64')}` };
  if (auth.type === 'custom_headers') return { ...secrets.headers };
  return {}; // none; OAuth's bearer token is fetched per call (CrmConnection.bearer)
}

function viewOf(row: CustomCrmSettingsRow, secrets: AuthSecrets): CustomCrmSettingsView {
  const auth = row.auth;
  return {
    auth:
      auth.type === 'basic'
        ? { type: 'basic', username: auth.username, passwordSet: secrets.password !== undefined }
        : auth.type === 'custom_headers'
          ? { type: 'custom_headers', headers: auth.headerNames.map((name) => ({ name, valueSet: secrets.headers?.[name.toLowerCase()] !== undefined })) }
          : auth.type === 'oauth2'
            ? { ...auth, clientSecretSet: secrets.clientSecret !== undefined, connected: secrets.refreshToken !== undefined }
            : { type: 'none' },
    phoneFormat: row.phoneFormat as PhoneFormat,
    requestTimeoutSeconds: row.requestTimeoutSeconds,
    ...(row.accountLookupUrl ? { accountLookupUrl: row.accountLookupUrl } : {}),
    ...(row.recordLookupUrl ? { recordLookupUrl: row.recordLookupUrl } : {}),
    reuseExistingRecords: row.reuseExistingRecords,
    endpoints: row.endpoints,
    updatedAt: row.updatedAt.toISOString(),
  };
}

function notConfigured(): NotFoundException {
  return new NotFoundException({ code: 'CustomCrmNotConfigured', message: 'This tenant has no custom CRM settings; an administrator sets them with PUT /crm/custom/settings' });
}
