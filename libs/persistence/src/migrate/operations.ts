import type { HistoryDiagnostic } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { migrationNames, readMigrationsList, writeMigration } from './migrations-directory';
import { databaseNameOf, ensureDatabase, ensureSchema, withConnection, withDatabase, withoutSchemaParam } from './postgres-admin';
import { loadServiceConfig, type ServiceMigrationConfig, type ServiceSelector } from './service-config';
import { withServiceEngine } from './service-engine';

export type { ServiceSelector };

/** The database and the service's schema may not exist yet on a fresh machine or test database. */
async function prepareTarget(config: ServiceMigrationConfig): Promise<void> {
  await ensureDatabase(config.databaseUrl);
  await ensureSchema(config.databaseUrl, config.pgSchema);
}

function readList(config: ServiceMigrationConfig) {
  return readMigrationsList(config.migrationsDir, config.shadowDbInitScript);
}

/** `prisma migrate deploy`: applies every migration folder not yet recorded in `_prisma_migrations`. */
export async function deployMigrations(selector: ServiceSelector): Promise<{ applied: string[] }> {
  const config = await loadServiceConfig(selector);
  await prepareTarget(config);
  const migrationsList = await readList(config);
  const { appliedMigrationNames } = await withServiceEngine(config, (engine) =>
    engine.applyMigrations({ migrationsList, filters: config.filters }),
  );
  return { applied: appliedMigrationNames };
}

export interface CreateMigrationOptions extends ServiceSelector {
  /** Migration name; the folder becomes `<timestamp>_<name>`. */
  name: string;
  /** Write the migration without applying it (`migrate dev --create-only`). */
  createOnly?: boolean;
  /** Create it even if the engine warns that data would be lost (e.g. a dropped column). */
  acceptDataLoss?: boolean;
}

/**
 * `prisma migrate dev`: applies pending migrations, diffs the schema against the migration history
 * (replayed on a throwaway shadow database), writes `prisma/migrations/<timestamp>_<name>/migration.sql`
 * plus `migration_lock.toml`, and applies it. Returns `{}` when the schema has no changes.
 * Never resets a database: when the engine asks for a reset, this throws with its reason.
 */
export async function createMigration(options: CreateMigrationOptions): Promise<{ created?: string }> {
  if (!/^[A-Za-z0-9_-]+$/.test(options.name)) throw new Error(`Invalid migration name ${JSON.stringify(options.name)} (letters, digits, _ and -)`);
  const config = await loadServiceConfig(options);
  await prepareTarget(config);
  const schema = { files: config.schemaFiles };
  const { filters } = config;

  return withServiceEngine(config, async (engine) => {
    const migrationsList = await readList(config);
    const diagnose = async () => {
      const { action } = await engine.devDiagnostic({ migrationsList, filters });
      if (action.tag === 'reset') throw new Error(`the database needs a reset before a migration can be created: ${action.reason}`);
    };
    await diagnose();
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters });
    // The wasm engine only reaches a shadow database in devDiagnostic, which caches the schema of
    // the migrations applied at that moment; evaluateDataLoss and createMigration read that cache
    // for the whole list and fail ("shadow DB must be provided through an external factory") on a
    // miss. So once pending migrations were just applied, diagnose again to cache the full list.
    if (appliedMigrationNames.length > 0) await diagnose();

    const dataLoss = await engine.evaluateDataLoss({ migrationsList, schema, filters });
    if (dataLoss.unexecutableSteps.length > 0) {
      throw new Error(`the migration could not run: ${dataLoss.unexecutableSteps.map((step) => step.message).join('; ')}`);
    }
    if (dataLoss.warnings.length > 0 && !options.acceptDataLoss) {
      const warnings = dataLoss.warnings.map((warning) => warning.message).join('; ');
      throw new Error(`the migration would lose data (pass acceptDataLoss / --accept-data-loss to proceed): ${warnings}`);
    }

    const generated = await engine.createMigration({ draft: false, migrationName: options.name, migrationsList, schema, filters });
    if (generated.migrationScript === null) return {};
    await writeMigration({
      baseDir: config.migrationsDir,
      migrationName: generated.generatedMigrationName,
      extension: generated.extension,
      script: generated.migrationScript,
      connectorType: generated.connectorType,
    });
    if (!options.createOnly) await engine.applyMigrations({ migrationsList: await readList(config), filters });
    return { created: generated.generatedMigrationName };
  });
}

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
  /** Applied to the database but missing from prisma/migrations. */
  missingLocally: string[];
  failed: string[];
  /** Applied migrations whose migration.sql changed since (checksum mismatch). */
  edited: string[];
  /** True when every local migration is applied and nothing failed, diverged or was edited. */
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

async function appliedMigrations(config: ServiceMigrationConfig): Promise<string[]> {
  return withConnection(withoutSchemaParam(config.databaseUrl), async (client) => {
    const table = `${client.escapeIdentifier(config.pgSchema)}."_prisma_migrations"`;
    const exists = await client.query('SELECT to_regclass($1) AS found', [table]);
    if (!exists.rows[0]?.found) return [];
    const rows = await client.query<{ migration_name: string }>(
      `SELECT migration_name FROM ${table} WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY started_at, migration_name`,
    );
    return rows.rows.map((row) => row.migration_name);
  });
}

/** `prisma migrate status`, as data. Read-only: creates neither the database nor the schema. */
export async function migrationStatus(selector: ServiceSelector): Promise<MigrationStatus> {
  const config = await loadServiceConfig(selector);
  const migrationsList = await readList(config);
  const local = migrationNames(migrationsList);
  const base = { service: config.service, schema: config.pgSchema, local };
  if (!(await databaseExists(config))) {
    return { ...base, databaseExists: false, applied: [], pending: local, missingLocally: [], failed: [], edited: [], upToDate: local.length === 0 };
  }
  const diagnosis = await withServiceEngine(config, (engine) =>
    engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: config.filters }),
  );
  const { pending, missingLocally } = pendingFrom(diagnosis.history);
  const failed = diagnosis.failedMigrationNames;
  const edited = diagnosis.editedMigrationNames;
  return {
    ...base,
    databaseExists: true,
    applied: await appliedMigrations(config),
    pending,
    missingLocally,
    failed,
    edited,
    upToDate: pending.length + missingLocally.length + failed.length + edited.length === 0,
  };
}
