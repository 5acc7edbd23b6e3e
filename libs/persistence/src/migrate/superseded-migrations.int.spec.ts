import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { deployMigrations, migrationStatus, platformMigrations } from './index';
import { withConnection, withoutSchemaParam } from './postgres-admin';
import { loadServiceConfig, migratableServicesIn } from './service-config';
import { changesSince, RowFactory } from './test-support/row-factory';
import { ScratchDatabases, sql } from './test-support/scratch-databases';
import { findWorkspaceRoot } from './workspace-root';

const databases = new ScratchDatabases();
const root = findWorkspaceRoot();
const services = migratableServicesIn(root);
const PLATFORM = platformMigrations().map((migration) => migration.name);

afterAll(async () => {
  await databases.dropAll();
});

const fill = (databaseUrl: string, schema: string) => withConnection(withoutSchemaParam(databaseUrl), (client) => new RowFactory(client, schema).fillEveryTable());

describe('a database migrated with the earlier versions of edited migrations (superseded-migrations.json)', () => {
  it.each(services)('%s upgrades cleanly: its history is repointed, the messaging tables are adopted with their rows, nothing is reported edited', async (service) => {
    const databaseUrl = databases.url();
    const { pgSchema: schema, superseded } = await loadServiceConfig({ service, databaseUrl, workspaceRoot: root });
    expect(superseded.length).toBeGreaterThan(0);
    await deployMigrations({ service, databaseUrl, workspaceRoot: root });
    // Back to what the earlier versions left: their checksums recorded, the messaging tables made by
    // the init migration, no platform history and no inbox retention index.
    await sql(databaseUrl, `DROP TABLE ${schema}._platform_migrations; DROP INDEX ${schema}.inbox_event_processed_at_idx`);
    for (const { migration, previousChecksums } of superseded) {
      await sql(databaseUrl, `UPDATE ${schema}._prisma_migrations SET checksum = $2 WHERE migration_name = $1`, [migration, previousChecksums[0]]);
    }
    const rows = await fill(databaseUrl, schema);

    const before = await migrationStatus({ service, databaseUrl, workspaceRoot: root });
    expect(before).toMatchObject({ superseded: superseded.map((entry) => entry.migration), platformPending: PLATFORM, edited: [], upToDate: false });

    expect(await deployMigrations({ service, databaseUrl, workspaceRoot: root })).toEqual({ applied: [], platformApplied: PLATFORM });
    expect(await migrationStatus({ service, databaseUrl, workspaceRoot: root })).toMatchObject({ superseded: [], edited: [], upToDate: true });
    expect(await withConnection(withoutSchemaParam(databaseUrl), (client) => changesSince(client, schema, rows))).toEqual([]);
    expect(await sql(databaseUrl, `SELECT 1 FROM pg_indexes WHERE schemaname = $1 AND indexname = 'inbox_event_processed_at_idx'`, [schema])).toHaveLength(1);
  });

  it('proactive-delivery: a failed run of the first callee-hours version is rolled back, and the current version then keeps the configurations', async () => {
    const service = 'proactive-delivery';
    const migration = '20261121054256_configuration_callee_hours';
    const databaseUrl = databases.url();
    const { pgSchema: schema, superseded } = await loadServiceConfig({ service, databaseUrl, workspaceRoot: root });
    await deployMigrations({ service, databaseUrl, workspaceRoot: root, through: '20261121052422_init' });
    const rows = await fill(databaseUrl, schema);
    // What the first version left on a table with rows: a failed attempt and no change (one transaction).
    await sql(
      databaseUrl,
      `INSERT INTO ${schema}._prisma_migrations (id, checksum, migration_name, logs, started_at, applied_steps_count)
       VALUES ($1, $2, $3, 'column "callee_local_hours" of relation "engagement_configuration" contains null values', now(), 0)`,
      [randomUUID(), superseded.find((entry) => entry.migration === migration)?.previousChecksums[0], migration],
    );
    expect(await migrationStatus({ service, databaseUrl, workspaceRoot: root })).toMatchObject({ superseded: [migration], failed: [], upToDate: false });

    const { applied } = await deployMigrations({ service, databaseUrl, workspaceRoot: root });

    expect(applied[0]).toBe(migration);
    expect(await migrationStatus({ service, databaseUrl, workspaceRoot: root })).toMatchObject({ failed: [], superseded: [], upToDate: true });
    const renamed = { 'engagement_configuration.retry_intervals': 'retry_intervals_seconds' };
    expect(await withConnection(withoutSchemaParam(databaseUrl), (client) => changesSince(client, schema, rows, renamed))).toEqual([]);
  });
});
