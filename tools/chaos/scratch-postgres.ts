import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../stack/service-process';

/**
 * A Postgres cluster of the chaos run's own (initdb + pg_ctl into a temp dir, on a free loopback port), so that it
 * can be restarted mid-run without touching the machine's shared server on 5432.
 */
export interface ScratchPostgres {
  /** Server URL (the `postgres` maintenance database), trust auth. */
  url: string;
  /** `pg_ctl restart -m immediate`: every connection drops, uncommitted work is lost, recovery replays the WAL. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const POSTGRES_USER = 'postgres';

/** The newest Debian Postgres binaries (/usr/lib/postgresql/<version>/bin). */
export function postgresBinDir(root = '/usr/lib/postgresql'): string {
  const versions = existsSync(root) ? readdirSync(root).filter((name) => existsSync(join(root, name, 'bin', 'pg_ctl'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`no Postgres server binaries under ${root} (apt-get install postgresql)`);
  return join(root, newest, 'bin');
}

/** Runs a Postgres binary as the `postgres` user when we are root (initdb and postgres refuse to run as root). */
function runAsPostgres(binary: string, args: string[]): Promise<string> {
  const asRoot = process.getuid?.() === 0;
  const [command, commandArgs] = asRoot ? ['runuser', ['-u', POSTGRES_USER, '--', binary, ...args]] : [binary, args];
  return new Promise((resolve, reject) => {
    execFile(command, commandArgs, { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${binary} ${args.join(' ')} failed: ${stderr || stdout || error.message}`));
      else resolve(stdout);
    });
  });
}

export async function startScratchPostgres(): Promise<ScratchPostgres> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'sb-chaos-pg-'));
  if (process.getuid?.() === 0) {
    const { uid, gid } = await postgresIds();
    chownSync(dir, uid, gid);
  }
  const dataDir = join(dir, 'data');
  const port = await freePort();
  await runAsPostgres(join(bin, 'initdb'), ['-D', dataDir, '-U', POSTGRES_USER, '--auth=trust', '--no-sync', '-E', 'UTF8']);
  // fsync stays on: a restart with -m immediate must find committed work on disk, as a crashed server would.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`;
  const pgCtl = (args: string[]) => runAsPostgres(join(bin, 'pg_ctl'), ['-D', dataDir, '-o', options, '-l', join(dir, 'server.log'), '-w', ...args]);
  await pgCtl(['start']);
  return {
    url: `postgresql://${POSTGRES_USER}@127.0.0.1:${port}/postgres`,
    restart: async () => {
      await pgCtl(['restart', '-m', 'immediate']);
    },
    stop: async () => {
      await pgCtl(['stop', '-m', 'immediate']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresIds(): Promise<{ uid: number; gid: number }> {
  return new Promise((resolve, reject) => {
    execFile('id', ['-u', POSTGRES_USER], (uidError, uid) => {
      if (uidError) return reject(new Error(`no ${POSTGRES_USER} user to run the scratch cluster as`));
      execFile('id', ['-g', POSTGRES_USER], (gidError, gid) => (gidError ? reject(gidError) : resolve({ uid: Number(uid), gid: Number(gid) })));
    });
  });
}
