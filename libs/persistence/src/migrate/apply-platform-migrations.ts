import { inPgTransaction } from '../pg-sql';
import { PLATFORM_MIGRATIONS_TABLE, platformMigrations } from './platform-migrations';
import { assertSafeIdentifier, ensureDatabase, ensureSchema, withConnection, withoutSchemaParam } from './postgres-admin';

export interface PlatformTarget {
  /** The database (any `?schema=` is ignored). */
  databaseUrl: string;
  /** The schema that gets the platform tables, created when missing. */
  schema: string;
}

/**
 * Brings `schema` up to the latest platform migrations (the messaging outbox and inbox tables). Safe
 * to call concurrently: one transaction, serialised per schema by an advisory lock, so a failure
 * leaves nothing half-applied. Returns the names it applied.
 */
export async function runPlatformMigrations({ databaseUrl, schema }: PlatformTarget): Promise<string[]> {
  assertSafeIdentifier('schema', schema);
  await ensureDatabase(databaseUrl);
  await ensureSchema(databaseUrl, schema);
  return withConnection(withoutSchemaParam(databaseUrl), (client) =>
    inPgTransaction(client, async () => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`switchboard.platform-migrations:${schema}`]);
      // The DDL is unqualified, like Prisma's: it lands in the schema first on the search path.
      await client.query(`SET LOCAL search_path TO ${client.escapeIdentifier(schema)}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS "${PLATFORM_MIGRATIONS_TABLE}" (
           "name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "applied_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP)`,
      );
      const recorded = await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "${PLATFORM_MIGRATIONS_TABLE}"`);
      const checksums = new Map(recorded.rows.map((row) => [row.name, row.checksum]));
      const applied: string[] = [];
      for (const migration of platformMigrations()) {
        const checksum = checksums.get(migration.name);
        if (checksum === migration.checksum) continue;
        if (checksum !== undefined) {
          throw new Error(`platform migration ${migration.name} changed after it was applied to schema ${schema}; add a new platform migration instead`);
        }
        await client.query(migration.sql);
        await client.query(`INSERT INTO "${PLATFORM_MIGRATIONS_TABLE}" (name, checksum) VALUES ($1, $2)`, [migration.name, migration.checksum]);
        applied.push(migration.name);
      }
      return applied;
    }),
  );
}

/** Creates or upgrades the platform tables (outbox_event, inbox_event) in `schema`, e.g. a scratch schema of a test. */
export async function applyPlatformMigrations(target: PlatformTarget): Promise<void> {
  await runPlatformMigrations(target);
}
