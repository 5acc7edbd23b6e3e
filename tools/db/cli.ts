/**
 * Database developer commands, offline: Prisma migrations through Prisma's wasm schema engine.
 *
 *   npx tsx tools/db/cli.ts migrate --name <name> [--service <svc>] [--create-only] [--accept-data-loss]
 *   npx tsx tools/db/cli.ts deploy   [--service <svc>]
 *   npx tsx tools/db/cli.ts status   [--service <svc>]
 *   npx tsx tools/db/cli.ts generate [--service <svc>]
 *
 * Without --service every app with a prisma.config.ts is handled. DATABASE_URL names the database
 * (default postgresql://postgres@127.0.0.1:5432/switchboard); each service migrates its own schema.
 */
import { parseArgs } from 'node:util';
import {
  createMigration,
  deployMigrations,
  findWorkspaceRoot,
  generatePrismaClient,
  listMigratableServices,
  migrationStatus,
} from '../../libs/persistence/src/migrate';
import { deployLine, generateLine, migrateLine, statusLine } from './report-lines';

const USAGE = `usage: tsx tools/db/cli.ts <migrate --name <name> | deploy | status | generate> [--service <svc>] [--create-only] [--accept-data-loss]`;

/** A service's command outcome: its line, and whether it counts as a failure for the exit code. */
type Outcome = { line: string; ok: boolean };

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      service: { type: 'string' },
      name: { type: 'string' },
      'create-only': { type: 'boolean', default: false },
      'accept-data-loss': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const [command] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }

  const workspaceRoot = findWorkspaceRoot();
  const known = await listMigratableServices(workspaceRoot);
  if (values.service && !known.includes(values.service)) {
    console.error(`Unknown service ${JSON.stringify(values.service)}; expected one of: ${known.join(', ')}`);
    return 2;
  }
  const services = values.service ? [values.service] : known;
  const selector = (service: string) => ({ service, workspaceRoot });

  let runOne: (service: string) => Promise<Outcome>;
  switch (command) {
    case 'migrate': {
      const { name } = values;
      if (!name) {
        console.error(`migrate needs --name <name>\n${USAGE}`);
        return 2;
      }
      const createOnly = values['create-only'];
      runOne = async (service) => {
        const { created } = await createMigration({ ...selector(service), name, createOnly, acceptDataLoss: values['accept-data-loss'] });
        return { line: migrateLine(service, created, createOnly), ok: true };
      };
      break;
    }
    case 'deploy':
      runOne = async (service) => ({ line: deployLine(service, await deployMigrations(selector(service))), ok: true });
      break;
    case 'status':
      // Like `prisma migrate status`, anything but "up to date" exits non-zero so CI can gate on it.
      runOne = async (service) => {
        const status = await migrationStatus(selector(service));
        return { line: statusLine(status), ok: status.upToDate };
      };
      break;
    case 'generate':
      runOne = async (service) => {
        await generatePrismaClient({ service, workspaceRoot });
        return { line: generateLine(service), ok: true };
      };
      break;
    default:
      console.error(`Unknown command ${JSON.stringify(command)}\n${USAGE}`);
      return 2;
  }

  let failures = 0;
  for (const service of services) {
    try {
      const { line, ok } = await runOne(service);
      console.log(line);
      if (!ok) failures += 1;
    } catch (error) {
      failures += 1;
      const message = error instanceof Error ? error.message : String(error);
      console.error(`${service}: FAILED ${message.startsWith(`${service}: `) ? message.slice(service.length + 2) : message}`);
    }
  }
  return failures === 0 ? 0 : 1;
}

// Exit explicitly: the wasm schema engine leaves timers armed (unref'd, but pools may linger too).
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
