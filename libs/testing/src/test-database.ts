import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { serverUrl } from './postgres-server';

export interface TestDatabase {
  /** Connection URL of the fresh database (same server and credentials as the server URL). */
  url: string;
  /** Drops the database, closing any connection a test left open. */
  drop(): Promise<void>;
}

/** Postgres identifiers stop at 63 bytes; `sb_t_` + prefix + `_` + 8 hex characters must fit. */
const SAFE_PREFIX = /^[a-z0-9_]{1,48}$/;

/** Creates `sb_t_<prefix>_<random>` on the given server. The vitest-aware `createTestDatabase` calls this. */
export async function createDatabaseOn(server: string, prefix: string): Promise<TestDatabase> {
  if (!SAFE_PREFIX.test(prefix)) {
    throw new Error(`Test database prefix ${JSON.stringify(prefix)} must match ${SAFE_PREFIX} (lower-case Postgres identifier)`);
  }
  const name = `sb_t_${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = serverUrl(server);
  await runOn(admin, `CREATE DATABASE ${name}`);

  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE (Postgres 13+) ends connections a Prisma or pg pool still holds.
    drop: () => runOn(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function runOn(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Whether a database of that name exists on the server of `server` (e.g. to prove a cleanup dropped it). */
export async function databaseExists(server: string, name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: serverUrl(server) });
  await client.connect();
  try {
    return ((await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}
