import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { dropDatabase, withConnection, withDatabase, withoutSchemaParam } from '../postgres-admin';

// The run's Postgres server: the test harness's pick, else DATABASE_URL, else the local default.
export const SERVER_URL = inject('databaseUrl') ?? process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Names of throwaway databases on SERVER_URL (migrations create them on first use); `dropAll` in afterAll. */
export class ScratchDatabases {
  private readonly names: string[] = [];

  url(): string {
    const name = `sb_test_mig_${randomBytes(5).toString('hex')}`;
    this.names.push(name);
    return withDatabase(SERVER_URL, name);
  }

  async dropAll(): Promise<void> {
    await Promise.all(this.names.map((name) => dropDatabase(SERVER_URL, name)));
  }
}

export async function sql<Row extends Record<string, unknown>>(databaseUrl: string, text: string, values: unknown[] = []): Promise<Row[]> {
  return withConnection(withoutSchemaParam(databaseUrl), async (client) => (await client.query<Row>(text, values)).rows);
}

export async function tablesIn(databaseUrl: string, schema: string): Promise<string[]> {
  const rows = await sql<{ table_name: string }>(
    databaseUrl,
    'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
    [schema],
  );
  return rows.map((row) => row.table_name);
}
