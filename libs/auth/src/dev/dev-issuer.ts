import { resolve } from 'node:path';

/** `iss` of locally minted development tokens (P1.5). Accepted only when AUTH_DEV_ISSUER_ENABLED=true. */
export const DEV_ISSUER = 'switchboard-dev';

/** Audience the services expect unless AUTH_AUDIENCE says otherwise; dev tokens use it by default. */
export const DEFAULT_AUDIENCE = 'api://switchboard';

/** Where the dev key pair lives: `.local/dev-jwt/` of the workspace (gitignored), or AUTH_DEV_KEYS_DIR. */
export function defaultDevKeysDir(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): string {
  return resolve(cwd, env['AUTH_DEV_KEYS_DIR'] || '.local/dev-jwt');
}
