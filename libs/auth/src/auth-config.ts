import { type BaseServiceEnv, ConfigError } from '@switchboard/service-kit';
import { DEV_ISSUER, defaultDevKeysDir } from './dev/dev-issuer';
import { loadOrCreateDevKeys } from './dev/dev-keys';
import type { JwtVerifierOptions } from './jwt/jwt-verifier';
import type { PublicKeyInput } from './jwt/public-keys';

/** The AUTH_* variables, as the service's configuration validated them (declared in baseServiceEnv). */
export type AuthSettings = Pick<
  BaseServiceEnv,
  | 'AUTH_ISSUERS'
  | 'AUTH_AUDIENCE'
  | 'AUTH_JWKS_URL'
  | 'AUTH_PUBLIC_KEYS'
  | 'AUTH_ALLOWED_TENANTS'
  | 'AUTH_CLOCK_TOLERANCE_SEC'
  | 'AUTH_DEV_ISSUER_ENABLED'
  | 'AUTH_DEV_KEYS_DIR'
  | 'AUTH_TOKEN_CACHE_SIZE'
>;

/** Settings that are each valid but do not work together; one line per problem (P4.2). */
export class AuthConfigError extends ConfigError {
  override readonly name = 'AuthConfigError';
}

/**
 * Verifier options from the service's configuration. Checks what the schema cannot see alone
 * (issuers need keys; the dev issuer only through AUTH_DEV_ISSUER_ENABLED; AUTH_PUBLIC_KEYS parses),
 * and creates the dev key pair when the dev issuer is on.
 */
export async function authOptionsFromConfig(config: AuthSettings): Promise<JwtVerifierOptions> {
  const problems = combinationProblems(config);
  const publicKeys = parsedPublicKeys(config.AUTH_PUBLIC_KEYS, problems);
  if (problems.length > 0) throw new AuthConfigError(problems);
  const devIssuer = config.AUTH_DEV_ISSUER_ENABLED
    ? {
        issuer: DEV_ISSUER,
        publicKey: (await loadOrCreateDevKeys(defaultDevKeysDir({ AUTH_DEV_KEYS_DIR: config.AUTH_DEV_KEYS_DIR }))).publicKeyPem,
      }
    : undefined;
  return {
    issuers: [...config.AUTH_ISSUERS],
    audience: config.AUTH_AUDIENCE,
    clockToleranceSec: config.AUTH_CLOCK_TOLERANCE_SEC,
    devIssuer,
    cacheSize: config.AUTH_TOKEN_CACHE_SIZE,
    ...(config.AUTH_JWKS_URL ? { jwksUrl: config.AUTH_JWKS_URL } : {}),
    ...(publicKeys ? { publicKeys } : {}),
    ...(config.AUTH_ALLOWED_TENANTS.length > 0 ? { allowedTenantIds: [...config.AUTH_ALLOWED_TENANTS] } : {}),
  };
}

function combinationProblems(config: AuthSettings): string[] {
  const problems: string[] = [];
  if (config.AUTH_ISSUERS.length === 0 && !config.AUTH_DEV_ISSUER_ENABLED) {
    problems.push('AUTH_ISSUERS: set the trusted token issuers (or AUTH_DEV_ISSUER_ENABLED=true for local use)');
  }
  if (config.AUTH_ISSUERS.length > 0 && !config.AUTH_JWKS_URL && !config.AUTH_PUBLIC_KEYS) {
    problems.push('AUTH_JWKS_URL: AUTH_ISSUERS needs AUTH_JWKS_URL or AUTH_PUBLIC_KEYS to verify signatures');
  }
  if (config.AUTH_ISSUERS.includes(DEV_ISSUER)) {
    problems.push(`AUTH_ISSUERS: "${DEV_ISSUER}" is enabled with AUTH_DEV_ISSUER_ENABLED=true, not listed here`);
  }
  return problems;
}

function parsedPublicKeys(text: string | undefined, problems: string[]): PublicKeyInput[] | undefined {
  if (!text) return undefined;
  try {
    return parsePublicKeys(text);
  } catch (error) {
    problems.push(`AUTH_PUBLIC_KEYS: ${(error as Error).message}`);
    return undefined;
  }
}

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]+?-----END [A-Z0-9 ]+-----/g;

/** A JWKS JSON document (`{"keys":[...]}`) or one or more concatenated PEM blocks. */
export function parsePublicKeys(text: string): PublicKeyInput[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const doc = JSON.parse(trimmed) as { keys?: unknown };
    if (!Array.isArray(doc.keys) || doc.keys.length === 0) throw new Error('the JWKS document has no "keys" array');
    return doc.keys as PublicKeyInput[];
  }
  // Environment files often carry PEMs on one line with literal "\n".
  const blocks = trimmed.replace(/\\n/g, '\n').match(PEM_BLOCK);
  if (!blocks) throw new Error('expected a JWKS JSON document or PEM public keys');
  return blocks;
}
