import { z } from 'zod';
import {
  DEFAULT_AUDIENCE,
  DEV_ISSUER,
  defaultDevKeysDir,
} from './dev/dev-issuer';
import { loadOrCreateDevKeys } from './dev/dev-keys';
import type { JwtVerifierOptions } from './jwt/jwt-verifier';
import type { PublicKeyInput } from './jwt/public-keys';
import { isGuid } from './principal';

/** One message per wrong or missing variable, so start-up failures are actionable (P4.2). */
export class AuthConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid auth configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'AuthConfigError';
  }
}

const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

const AuthEnv = z.object({
  AUTH_ISSUERS: commaList,
  AUTH_AUDIENCE: z.string().trim().min(1).default(DEFAULT_AUDIENCE),
  AUTH_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  AUTH_PUBLIC_KEYS: z.string().optional(),
  AUTH_ALLOWED_TENANTS: commaList.refine(
    (ids) => ids.every(isGuid),
    'every entry must be a GUID',
  ),
  AUTH_CLOCK_TOLERANCE_SEC: z.coerce.number().int().min(0).max(600).default(60),
  AUTH_DEV_ISSUER_ENABLED: z.enum(['true', 'false']).default('false'),
  AUTH_DEV_KEYS_DIR: z.string().optional(),
});

/**
 * Verifier options from the environment:
 * AUTH_ISSUERS (comma list; `{tenantid}` allowed), AUTH_AUDIENCE (default api://switchboard),
 * AUTH_JWKS_URL, AUTH_PUBLIC_KEYS (a JWKS JSON document or PEM blocks), AUTH_ALLOWED_TENANTS,
 * AUTH_CLOCK_TOLERANCE_SEC (default 60), AUTH_DEV_ISSUER_ENABLED (default false),
 * AUTH_DEV_KEYS_DIR (default .local/dev-jwt). Creates the dev key pair when the dev issuer is on.
 */
export async function authOptionsFromEnv(
  rawEnv: NodeJS.ProcessEnv = process.env,
): Promise<JwtVerifierOptions> {
  // Compose files and manifests often set variables to "": treat that as unset.
  const env = Object.fromEntries(
    Object.entries(rawEnv).filter(
      ([, value]) => value !== undefined && value.trim() !== '',
    ),
  );
  const parsed = AuthEnv.safeParse(env);
  const problems = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map(
          (issue) => `${issue.path.join('.')}: ${issue.message}`,
        )),
    ...combinationProblems(env),
  ];
  if (!parsed.success || problems.length > 0)
    throw new AuthConfigError(problems);
  const config = parsed.data;
  let publicKeys: PublicKeyInput[] | undefined;
  try {
    publicKeys = config.AUTH_PUBLIC_KEYS
      ? parsePublicKeys(config.AUTH_PUBLIC_KEYS)
      : undefined;
  } catch (error) {
    throw new AuthConfigError([
      `AUTH_PUBLIC_KEYS: ${(error as Error).message}`,
    ]);
  }
  const devIssuer =
    config.AUTH_DEV_ISSUER_ENABLED === 'true'
      ? {
          issuer: DEV_ISSUER,
          publicKey: (await loadOrCreateDevKeys(defaultDevKeysDir(env)))
            .publicKeyPem,
        }
      : undefined;
  return {
    issuers: config.AUTH_ISSUERS,
    audience: config.AUTH_AUDIENCE,
    clockToleranceSec: config.AUTH_CLOCK_TOLERANCE_SEC,
    devIssuer,
    ...(config.AUTH_JWKS_URL ? { jwksUrl: config.AUTH_JWKS_URL } : {}),
    ...(publicKeys ? { publicKeys } : {}),
    ...(config.AUTH_ALLOWED_TENANTS.length > 0
      ? { allowedTenantIds: config.AUTH_ALLOWED_TENANTS }
      : {}),
  };
}

// Checked on the raw values so they are reported even when a single variable is also wrong.
function combinationProblems(env: NodeJS.ProcessEnv): string[] {
  const issuers = (env['AUTH_ISSUERS'] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  const devEnabled = env['AUTH_DEV_ISSUER_ENABLED'] === 'true';
  const problems: string[] = [];
  if (issuers.length === 0 && !devEnabled) {
    problems.push(
      'AUTH_ISSUERS: set the trusted token issuers (or AUTH_DEV_ISSUER_ENABLED=true for local use)',
    );
  }
  if (issuers.length > 0 && !env['AUTH_JWKS_URL'] && !env['AUTH_PUBLIC_KEYS']) {
    problems.push(
      'AUTH_JWKS_URL: AUTH_ISSUERS needs AUTH_JWKS_URL or AUTH_PUBLIC_KEYS to verify signatures',
    );
  }
  if (issuers.includes(DEV_ISSUER)) {
    problems.push(
      `AUTH_ISSUERS: "${DEV_ISSUER}" is enabled with AUTH_DEV_ISSUER_ENABLED=true, not listed here`,
    );
  }
  return problems;
}

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]+?-----END [A-Z0-9 ]+-----/g;

/** A JWKS JSON document (`{"keys":[...]}`) or one or more concatenated PEM blocks. */
export function parsePublicKeys(text: string): PublicKeyInput[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const doc = JSON.parse(trimmed) as { keys?: unknown };
    if (!Array.isArray(doc.keys) || doc.keys.length === 0)
      throw new Error('the JWKS document has no "keys" array');
    return doc.keys as PublicKeyInput[];
  }
  // Environment files often carry PEMs on one line with literal "\n".
  const blocks = trimmed.replace(/\\n/g, '\n').match(PEM_BLOCK);
  if (!blocks)
    throw new Error('expected a JWKS JSON document or PEM public keys');
  return blocks;
}
