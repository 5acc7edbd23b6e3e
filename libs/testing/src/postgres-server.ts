import pg from 'pg';

/** The developer-machine default: Postgres on loopback with trust auth. */
export const LOCAL_POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

const CONNECT_TIMEOUT_MS = 1_500;

/**
 * Tests get a server, not a database: every URL handed out names the `postgres` maintenance database, which
 * exists on every standard server, and loses Prisma's `?schema=` (a per-service detail).
 */
export function serverUrl(url: string): string {
  const server = new URL(url);
  server.pathname = '/postgres';
  server.searchParams.delete('schema');
  return server.toString();
}

/** `host:port` for log lines, so a password in a URL never reaches the console. */
export function displayAddress(url: string): string {
  const { hostname, port } = new URL(url);
  return `${hostname}:${port || 5432}`;
}

/** Resolves when the server accepts a login and answers a query; rejects with the driver's reason. */
export async function checkPostgres(url: string, timeoutMs = CONNECT_TIMEOUT_MS): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Moves "the local server" elsewhere (a server URL). CI points it at a closed port to prove the embedded
 * Postgres fallback without stopping the machine's Postgres.
 */
export const LOCAL_POSTGRES_URL_ENV = 'SWITCHBOARD_LOCAL_POSTGRES_URL';

export function localPostgresUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env[LOCAL_POSTGRES_URL_ENV]?.trim() || LOCAL_POSTGRES_URL;
}
