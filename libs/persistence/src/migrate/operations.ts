import type { MigrationList } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { readMigrationsList, writeMigration } from './migrations-directory';
import { runPlatformMigrations } from './apply-platform-migrations';
import { withConnection, withoutSchemaParam } from './postgres-admin';
import { loadServiceConfig, type ServiceMigrationConfig, type ServiceSelector } from './service-config';
import { withServiceEngine } from './service-engine';
import { supersedeEditedMigrations } from './superseded-migrations';

export type { ServiceSelector };

/**
 * Before Prisma's own migrations: the database and schema (created when missing), the platform
 * tables every service has, and the history of deliberately edited migrations brought up to date.
 */
async function prepareTarget(config: ServiceMigrationConfig): Promise<{ platformApplied: string[] }> {
  const platformApplied = await runPlatformMigrations({ databaseUrl: config.databaseUrl, schema: config.pgSchema });
  await withConnection(withoutSchemaParam(config.databaseUrl), (client) =>
    supersedeEditedMigrations(client, config.pgSchema, config.migrationsDir, config.superseded),
  );
  return { platformApplied };
}

export function readList(config: ServiceMigrationConfig) {
  return readMigrationsList(config.migrationsDir, config.shadowDbInitScript);
}

export interface DeployResult {
  /** Prisma migrations applied now, in order. */
  applied: string[];
  /** Platform migrations (libs/persistence/src/migrate/platform-migrations) applied now, in order. */
  platformApplied: string[];
}

/**
 * `prisma migrate deploy`, preceded by the platform migrations: applies every migration folder not
 * yet recorded in `_prisma_migrations`, or only those up to and including `through` when given.
 */
export async function deployMigrations(selector: ServiceSelector & { through?: string }): Promise<DeployResult> {
  const config = await loadServiceConfig(selector);
  const { platformApplied } = await prepareTarget(config);
  const migrationsList = upTo(await readList(config), selector.through);
  const { appliedMigrationNames } = await withServiceEngine(config, (engine) =>
    engine.applyMigrations({ migrationsList, filters: config.filters }),
  );
  return { applied: appliedMigrationNames, platformApplied };
}

function upTo(list: MigrationList, through: string | undefined): MigrationList {
  if (through === undefined) return list;
  const last = list.migrationDirectories.findIndex((directory) => directory.path === through);
  if (last < 0) throw new Error(`No migration ${through} in ${list.baseDir}`);
  return { ...list, migrationDirectories: list.migrationDirectories.slice(0, last + 1) };
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
