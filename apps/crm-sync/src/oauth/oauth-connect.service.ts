import { BadGatewayException, BadRequestException, ConflictException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { Clock } from '@switchboard/clock';
import { SecretBox } from '@switchboard/persistence';
import * as openid from 'openid-client';
import { z } from 'zod';
import { CrmSyncConfig } from '../config';
import { CustomCrmSettingsService } from '../crm-engine/crm-settings.service';
import { CrmOAuthTokens, registrationOf } from './crm-oauth-tokens';
import { OAuthFailure } from './oauth-failure';

/** How long an administrator has to approve at the CRM. */
const CONNECT_WINDOW_MS = 10 * 60_000;
export const CALLBACK_PATH = '/crm/custom/oauth/callback';
/** Separates a configured state (CS1.1) from ours. */
const STATE_SEPARATOR = '~';

/** What our state carries, sealed (AES-GCM): it cannot be forged or read, and it ends. */
const pendingConnect = z.object({ tenantId: z.string(), codeVerifier: z.string(), expiresAt: z.number(), redirectUri: z.string().optional() });

export interface AuthorizeAnswer {
  authorizationUrl: string;
  expiresAt: string;
}

/**
 * The administrator's "connect" flow for the authorization code grant (CS1.1, RFC 6749 §4.1 with PKCE):
 * authorize() gives the CRM's authorization URL with state and code challenge; the CRM sends the
 * browser back to callback(), which exchanges the code and keeps the refresh token sealed (P2.4).
 * The state is the sealed pending request itself, so any replica can finish the flow.
 */
@Injectable()
export class OAuthConnectService {
  private readonly box: SecretBox;

  constructor(
    private readonly settings: CustomCrmSettingsService,
    private readonly tokens: CrmOAuthTokens,
    private readonly clock: Clock,
    private readonly config: CrmSyncConfig,
  ) {
    this.box = new SecretBox(config.SECRETS_ENCRYPTION_KEY);
  }

  get redirectUri(): string {
    return `${(this.config.PUBLIC_BASE_URL ?? `http://127.0.0.1:${this.config.PORT}`).replace(/\/+$/, '')}${CALLBACK_PATH}`;
  }

  async authorize(tenantId: string): Promise<AuthorizeAnswer> {
    const { auth, secrets } = await this.codeGrantOf(tenantId);
    const codeVerifier = openid.randomPKCECodeVerifier();
    const expiresAt = this.clock.now().getTime() + CONNECT_WINDOW_MS;
    const redirectUri = auth.includeRedirectUrl ? this.redirectUri : undefined;
    const sealed = this.box.seal(JSON.stringify({ tenantId, codeVerifier, expiresAt, ...(redirectUri ? { redirectUri } : {}) }));
    const parameters: Record<string, string> = {
      state: auth.state ? `${auth.state}${STATE_SEPARATOR}${sealed}` : sealed,
      ...(redirectUri ? { redirect_uri: redirectUri } : {}),
      ...(auth.scope ? { scope: auth.scope } : {}),
      ...(auth.accessType ? { access_type: auth.accessType } : {}),
    };
    const url = await this.tokens.client.authorizationUrl(registrationOf(auth, secrets), codeVerifier, parameters);
    return { authorizationUrl: url.toString(), expiresAt: new Date(expiresAt).toISOString() };
  }

  /** The CRM's redirect: an error it reports, or a code to exchange under the state's tenant. */
  async callback(query: { state: string; code?: string; error?: string }): Promise<{ tenantId: string }> {
    const pending = this.openState(query.state);
    if (query.error !== undefined) throw new BadRequestException({ code: 'OAuthAuthorizationDenied', message: `The CRM did not authorize the connection: ${query.error}` });
    if (query.code === undefined) throw new BadRequestException({ code: 'OAuthCodeMissing', message: 'The callback carries neither code nor error' });
    const { auth, secrets } = await this.codeGrantOf(pending.tenantId);
    let issued;
    try {
      issued = await this.tokens.client.exchangeCode(registrationOf(auth, secrets), query.code, pending.codeVerifier, pending.redirectUri);
    } catch (error) {
      throw connectFailure(error);
    }
    if (!issued.refreshToken) throw new BadGatewayException({ code: 'OAuthNoRefreshToken', message: 'The CRM issued no refresh token; set accessType "offline" if the CRM needs it' });
    await this.settings.storeRefreshToken(pending.tenantId, issued.refreshToken);
    this.tokens.forget(pending.tenantId);
    return { tenantId: pending.tenantId };
  }

  private openState(state: string) {
    const sealed = state.slice(state.lastIndexOf(STATE_SEPARATOR) + 1);
    let parsed;
    try {
      parsed = pendingConnect.safeParse(JSON.parse(this.box.open(sealed)));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) throw new BadRequestException({ code: 'OAuthStateInvalid', message: 'The state is not one crm-sync issued' });
    if (parsed.data.expiresAt <= this.clock.now().getTime()) throw new BadRequestException({ code: 'OAuthStateExpired', message: 'The connect request is older than 10 minutes; start again' });
    return parsed.data;
  }

  private async codeGrantOf(tenantId: string) {
    const oauth = await this.settings.oauthOf(tenantId);
    if (!oauth || oauth.auth.grantType !== 'authorization_code') {
      throw new ConflictException({ code: 'OAuthNotConfigured', message: "The tenant's CRM authentication is not OAuth 2.0 with the authorization code grant" });
    }
    return oauth;
  }
}

function connectFailure(error: unknown): unknown {
  if (!(error instanceof OAuthFailure)) return error;
  if (error.kind === 'invalid_grant') return new BadRequestException({ code: 'OAuthCodeRefused', message: `The CRM refused the code: ${error.message}` });
  if (error.kind === 'invalid_client') return new UnprocessableEntityException({ code: 'OAuthClientRefused', message: `The CRM refused the client id or secret: ${error.message}` });
  if (error.kind === 'refused') return new UnprocessableEntityException({ code: 'UrlNotAllowed', message: error.message });
  return new BadGatewayException({ code: 'TokenEndpointFailed', message: error.message });
}
