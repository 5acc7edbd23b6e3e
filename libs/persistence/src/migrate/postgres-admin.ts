import pg from 'pg';

const DUPLICATE_DATABASE = '42P04';
const DUPLICATE_SCHEMA = '42P06';
const UNIQUE_VIOLATION = '23505'; // two concurrent CREATEs can collide on the catalog's unique index

/** Postgres identifiers we create ourselves: plain lower-case names, nothing to escape. */
const SAFE_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSafeIdentifier(kind: string, name: string): string {
  if (!SAFE_IDENTIFIER.test(name)) throw new Error(`Unsupported ${kind} name ${JSON.stringify(name)} (expected [a-z_][a-z0-9_]*)`);
  return name;
}

export function databaseNameOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

/** The same server and credentials, another database; Prisma's `?schema=` is dropped (pg would ignore it). */
export function withDatabase(url: string, database: string): string {
  const next = new URL(url);
  next.pathname = `/${encodeURIComponent(database)}`;
  next.searchParams.delete('schema');
  return next.toString();
}

/** Prisma's `?schema=` means nothing to pg; the schema is selected with search_path instead. */
export function withoutSchemaParam(url: string): string {
  const next = new URL(url);
  next.searchParams.delete('schema');
  return next.toString();
}

/** Runs `work` on a single short-lived connection. */
export async function withConnection<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function hasCode(error: unknown, ...codes: string[]): boolean {
  return codes.includes((error as { code?: string } | null)?.code ?? '');
}

/** Creates the database named in `url` when it is missing (connecting to the `postgres` maintenance db). */
export async function ensureDatabase(url: string): Promise<{ created: boolean }> {
  const database = databaseNameOf(url);
  return withConnection(withDatabase(url, 'postgres'), async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount) return { created: false };
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
      return { created: true };
    } catch (error) {
      if (hasCode(error, DUPLICATE_DATABASE, UNIQUE_VIOLATION)) return { created: false };
      throw error;
    }
  });
}

export async function ensureSchema(url: string, schema: string): Promise<void> {
  await withConnection(withoutSchemaParam(url), async (client) => {
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${client.escapeIdentifier(schema)}`);
    } catch (error) {
      if (!hasCode(error, DUPLICATE_SCHEMA, UNIQUE_VIOLATION)) throw error;
    }
  });
}

/** Database-level DDL goes through the `postgres` maintenance database, which always exists. */
export async function createDatabase(url: string, database: string): Promise<void> {
  await withConnection(withDatabase(url, 'postgres'), (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`));
}

/** Drops a database even if connections linger (Postgres 13+ `WITH (FORCE)`). */
export async function dropDatabase(url: string, database: string): Promise<void> {
  await withConnection(withDatabase(url, 'postgres'), (client) =>
    client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(database)} WITH (FORCE)`),
  );
}
