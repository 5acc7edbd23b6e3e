import { resolve } from 'node:path';

/** `iss` of locally minted development tokens (P1.5). Accepted only when AUTH_DEV_ISSUER_ENABLED=true. */
export const DEV_ISSUER = 'switchboard-dev';

/** Audience the services expect unless AUTH_AUDIENCE says otherwise; dev tokens use it by default. */
export const DEFAULT_AUDIENCE = 'api://switchboard';

/**
 * Where the dev key pair lives: AUTH_DEV_KEYS_DIR, else `.local/dev-jwt/` of the workspace
 * (gitignored). Services pass their validated setting; the process environment is only the default
 * of the development tools (mint-token).
 */
export function defaultDevKeysDir(
  settings: { AUTH_DEV_KEYS_DIR?: string | undefined } = process.env,
  cwd = process.cwd(),
): string {
  return resolve(cwd, settings.AUTH_DEV_KEYS_DIR || '.local/dev-jwt');
}
