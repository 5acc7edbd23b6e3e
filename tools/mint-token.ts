/**
 * Prints a development JWT signed by the local dev key (P1.5). Services accept it only when they
 * run with AUTH_DEV_ISSUER_ENABLED=true.
 *
 *   npx tsx tools/mint-token.ts --tenant <uuid> --roles OmnichannelAgent,Administrator [--sub x] [--ttl 3600]
 *                               [--name "Ada"] [--aud api://switchboard] [--keys-dir .local/dev-jwt]
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ALL_ROLES,
  DEFAULT_AUDIENCE,
  defaultDevKeysDir,
  isGuid,
  isRole,
  mintDevToken,
  type Role,
} from '@switchboard/auth/dev-tokens';

const USAGE = `usage: npx tsx tools/mint-token.ts --tenant <uuid> --roles <Role,Role> [--sub <id>] [--ttl <seconds>]
       [--name <display name>] [--aud <audience>] [--keys-dir <dir>]
roles: ${ALL_ROLES.join(', ')}
defaults: --sub dev-user, --ttl 3600, --aud $AUTH_AUDIENCE or ${DEFAULT_AUDIENCE},
          --keys-dir $AUTH_DEV_KEYS_DIR or <workspace>/.local/dev-jwt (created on first use)`;

class UsageError extends Error {}

function parseCommandLine(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      tenant: { type: 'string' },
      roles: { type: 'string' },
      sub: { type: 'string', default: 'dev-user' },
      ttl: { type: 'string', default: '3600' },
      name: { type: 'string' },
      aud: { type: 'string' },
      'keys-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return undefined;
  if (!values.tenant || !isGuid(values.tenant))
    throw new UsageError('--tenant must be a tenant GUID');
  if (values.roles === undefined)
    throw new UsageError(
      '--roles is required (comma-separated; may be empty: --roles "")',
    );
  const roles = values.roles
    .split(',')
    .map((role) => role.trim())
    .filter(Boolean);
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length > 0)
    throw new UsageError(`unknown role(s): ${unknown.join(', ')}`);
  const ttlSec = Number(values.ttl);
  if (!Number.isInteger(ttlSec) || ttlSec <= 0)
    throw new UsageError('--ttl must be a positive number of seconds');
  const workspaceRoot = resolve(__dirname, '..');
  return {
    tenantId: values.tenant,
    roles: roles as Role[],
    subject: values.sub,
    ttlSec,
    audience: values.aud ?? (process.env['AUTH_AUDIENCE'] || DEFAULT_AUDIENCE),
    keysDir: values['keys-dir']
      ? resolve(values['keys-dir'])
      : defaultDevKeysDir(process.env, workspaceRoot),
    ...(values.name ? { name: values.name } : {}),
  };
}

async function main(): Promise<void> {
  let options: ReturnType<typeof parseCommandLine>;
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`mint-token: ${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  process.stdout.write(`${await mintDevToken(options)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `mint-token: ${(error as Error).stack ?? String(error)}\n`,
  );
  process.exit(1);
});
