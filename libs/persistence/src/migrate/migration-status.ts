import type { HistoryDiagnostic } from '@prisma/schema-engine-wasm/schema_engine_bg';
import type pg from 'pg';
import { readList } from './operations';
import { migrationNames } from './migrations-directory';
import { PLATFORM_MIGRATIONS_TABLE, platformMigrations } from './platform-migrations';
import { databaseNameOf, withConnection, withDatabase, withoutSchemaParam } from './postgres-admin';
import { loadServiceConfig, type ServiceMigrationConfig, type ServiceSelector } from './service-config';
import { withServiceEngine } from './service-engine';

export interface MigrationStatus {
  service: string;
  /** The Postgres schema holding the service's tables and `_prisma_migrations`. */
  schema: string;
  databaseExists: boolean;
  /** Folders in prisma/migrations, in order. */
  local: string[];
  /** Recorded as finished (and not rolled back) in `_prisma_migrations`, in order of application. */
  applied: string[];
  /** Local migrations the database has not applied yet. */
  pending: string[];
  /** Platform migrations (outbox, inbox) the schema has not applied yet. */
  platformPending: string[];
  /** Applied to the database but missing from prisma/migrations. */
  missingLocally: string[];
  failed: string[];
  /** Applied migrations whose migration.sql changed since (checksum mismatch). */
  edited: string[];
  /** Recorded under a checksum superseded-migrations.json replaces: the next deploy updates them. */
  superseded: string[];
  /** True when every migration is applied and nothing failed, diverged, was edited or awaits superseding. */
  upToDate: boolean;
}

function pendingFrom(history: HistoryDiagnostic | null): { pending: string[]; missingLocally: string[] } {
  if (!history) return { pending: [], missingLocally: [] };
  switch (history.diagnostic) {
    case 'databaseIsBehind':
      return { pending: history.unappliedMigrationNames, missingLocally: [] };
    case 'migrationsDirectoryIsBehind':
      return { pending: [], missingLocally: history.unpersistedMigrationNames };
    case 'historiesDiverge':
      return { pending: history.unappliedMigrationNames, missingLocally: history.unpersistedMigrationNames };
  }
}

async function databaseExists(config: ServiceMigrationConfig): Promise<boolean> {
  return withConnection(withDatabase(config.databaseUrl, 'postgres'), async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseNameOf(config.databaseUrl)]);
    return (found.rowCount ?? 0) > 0;
  });
}

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished: boolean;
}

/** Rows of `table` in the service schema, or none when the table does not exist yet. */
async function rowsIfTableExists<Row extends object>(client: pg.Client, schema: string, table: string, query: (qualified: string) => string): Promise<Row[]> {
  const qualified = `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(table)}`;
  const exists = await client.query<{ found: string | null }>('SELECT to_regclass($1) AS found', [qualified]);
  return exists.rows[0]?.found ? (await client.query<Row>(query(qualified))).rows : [];
}

async function readHistories(config: ServiceMigrationConfig): Promise<{ prisma: HistoryRow[]; platform: string[] }> {
  return withConnection(withoutSchemaParam(config.databaseUrl), async (client) => ({
    prisma: await rowsIfTableExists<HistoryRow>(
      client,
      config.pgSchema,
      '_prisma_migrations',
      (table) =>
        `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished FROM ${table} WHERE rolled_back_at IS NULL ORDER BY started_at, migration_name`,
    ),
    platform: (await rowsIfTableExists<{ name: string }>(client, config.pgSchema, PLATFORM_MIGRATIONS_TABLE, (table) => `SELECT name FROM ${table}`)).map(
      (row) => row.name,
    ),
  }));
}

/** `prisma migrate status` plus the platform migrations, as data. Read-only: creates neither the database nor the schema. */
export async function migrationStatus(selector: ServiceSelector): Promise<MigrationStatus> {
  const config = await loadServiceConfig(selector);
  const migrationsList = await readList(config);
  const local = migrationNames(migrationsList);
  const allPlatform = platformMigrations().map((migration) => migration.name);
  const base = { service: config.service, schema: config.pgSchema, local };
  if (!(await databaseExists(config))) {
    const nothing = { applied: [], missingLocally: [], failed: [], edited: [], superseded: [] };
    return { ...base, ...nothing, databaseExists: false, pending: local, platformPending: allPlatform, upToDate: local.length + allPlatform.length === 0 };
  }
  const diagnosis = await withServiceEngine(config, (engine) =>
    engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: config.filters }),
  );
  const histories = await readHistories(config);
  const superseded = histories.prisma
    .filter((row) => config.superseded.some((entry) => entry.migration === row.migration_name && entry.previousChecksums.includes(row.checksum)))
    .map((row) => row.migration_name);
  const { pending, missingLocally } = pendingFrom(diagnosis.history);
  const failed = diagnosis.failedMigrationNames.filter((name) => !superseded.includes(name));
  const edited = diagnosis.editedMigrationNames.filter((name) => !superseded.includes(name));
  const platformPending = allPlatform.filter((name) => !histories.platform.includes(name));
  return {
    ...base,
    databaseExists: true,
    applied: histories.prisma.filter((row) => row.finished).map((row) => row.migration_name),
    pending,
    platformPending,
    missingLocally,
    failed,
    edited,
    superseded,
    upToDate: [pending, platformPending, missingLocally, failed, edited, superseded].every((list) => list.length === 0),
  };
}
