import { closed } from '@switchboard/validation';
import { z } from 'zod';
import { CLIENT_AUTH_METHODS, type ClientAuthMethod } from './oauth-client';

export const OAUTH_GRANT_TYPES = ['authorization_code', 'client_credentials'] as const;

const absoluteHttpUrl = z
  .string()
  .max(2048)
  .refine((url) => /^https?:\/\/[^/?#\s]+/i.test(url) && URL.canParse(url), 'must be an absolute http(s) URL');
const oneLine = (max: number) => z.string().min(1).max(max).regex(/^[\x20-\x7e]*$/, 'must be one line of visible ASCII characters');

/**
 * CS1.1 OAuth 2.0 to the CRM: authorization URL, token URL, client id, client secret (write-only),
 * scope, state, access type and "include the redirect URL in the authorization and token URL".
 * `authorization_code` (the source's flow: an administrator connects once, the refresh token is kept)
 * or `client_credentials` (no user; no authorization URL needed).
 */
export const oauthAuthSchema = closed({
  type: z.literal('oauth2'),
  grantType: z.enum(OAUTH_GRANT_TYPES).default('authorization_code'),
  authorizationUrl: absoluteHttpUrl.optional(),
  tokenUrl: absoluteHttpUrl,
  clientId: oneLine(500),
  /** Write-only; left out, the stored secret of the same client id and token URL is kept. */
  clientSecret: oneLine(2000).optional(),
  scope: oneLine(1000).optional(),
  /** Sent before our own state value (which protects the connect flow), separated by "~". */
  state: z.string().min(1).max(200).regex(/^[A-Za-z0-9._-]+$/, 'may hold letters, digits and . _ -').optional(),
  /** Sent as access_type (e.g. "offline" asks Google-style servers for a refresh token). */
  accessType: z.enum(['offline', 'online']).optional(),
  includeRedirectUrl: z.boolean().default(false),
  clientAuthMethod: z.enum(CLIENT_AUTH_METHODS).default('client_secret_basic'),
}).superRefine((auth, ctx) => {
  if (auth.grantType === 'authorization_code' && !auth.authorizationUrl) ctx.addIssue({ code: 'custom', path: ['authorizationUrl'], message: 'is required for the authorization code grant' });
});

export type CrmOAuthInput = z.output<typeof oauthAuthSchema>;

/** What is stored in the clear (and shown): everything but the client secret and the refresh token. */
export interface StoredOAuth {
  type: 'oauth2';
  grantType: (typeof OAUTH_GRANT_TYPES)[number];
  authorizationUrl?: string;
  tokenUrl: string;
  clientId: string;
  scope?: string;
  state?: string;
  accessType?: 'offline' | 'online';
  includeRedirectUrl: boolean;
  clientAuthMethod: ClientAuthMethod;
}

export function storedOAuthOf(input: CrmOAuthInput): StoredOAuth {
  const { clientSecret: _secret, ...stored } = input;
  return stored;
}

/** A new client secret or refresh token is needed when the client or its server changed. */
export function sameOAuthClient(a: StoredOAuth, b: StoredOAuth): boolean {
  return a.clientId === b.clientId && a.tokenUrl === b.tokenUrl && a.authorizationUrl === b.authorizationUrl && a.grantType === b.grantType;
}
