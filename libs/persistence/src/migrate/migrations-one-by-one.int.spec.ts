import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPlatformMigrations } from './apply-platform-migrations';
import { createMigration, deployMigrations, migrationStatus } from './index';
import { readMigrationsList, migrationNames } from './migrations-directory';
import { withConnection, withoutSchemaParam } from './postgres-admin';
import { createScratchWorkspace, type ScratchWorkspace } from './scratch-workspace';
import { loadServiceConfig, migratableServicesIn } from './service-config';
import { changesSince, RowFactory, type StoredRow } from './test-support/row-factory';
import { ScratchDatabases, sql } from './test-support/scratch-databases';
import { findWorkspaceRoot } from './workspace-root';

/** Columns a migration renamed, `table.old` → `new`: their values are followed to the new name. */
const RENAMED: Record<string, Record<string, string>> = {
  'proactive-delivery': { 'engagement_configuration.retry_intervals': 'retry_intervals_seconds' },
};

const databases = new ScratchDatabases();
const root = findWorkspaceRoot();
const services = migratableServicesIn(root);
let workspace: ScratchWorkspace;

beforeAll(async () => {
  workspace = await createScratchWorkspace(services, root, { withMigrations: true });
});

afterAll(async () => {
  await workspace?.remove();
  await databases.dropAll();
});

interface Journey {
  databaseUrl: string;
  schema: string;
  /** Rows inserted after each step, keyed by the step they were inserted after. */
  rowsAfter: Map<string, StoredRow[]>;
}

/** Platform step, then each Prisma migration alone; after every step a row goes into every table. */
async function migrateOneByOne(service: string): Promise<Journey> {
  const databaseUrl = databases.url();
  const config = await loadServiceConfig({ service, databaseUrl, workspaceRoot: root });
  const fill = () => withConnection(withoutSchemaParam(databaseUrl), (client) => new RowFactory(client, config.pgSchema).fillEveryTable());
  const rowsAfter = new Map<string, StoredRow[]>();
  await runPlatformMigrations({ databaseUrl, schema: config.pgSchema });
  rowsAfter.set('platform', await fill());
  for (const migration of migrationNames(await readMigrationsList(config.migrationsDir))) {
    const { applied } = await deployMigrations({ service, databaseUrl, workspaceRoot: root, through: migration });
    expect(applied).toEqual([migration]);
    rowsAfter.set(migration, await fill());
  }
  return { databaseUrl, schema: config.pgSchema, rowsAfter };
}

describe.each(services)('the migrations of %s, one at a time on a schema with rows in every table', (service) => {
  let journey: Journey;

  beforeAll(async () => {
    journey = await migrateOneByOne(service);
  }, 180_000);

  it('keep every row inserted between them, with its values', async () => {
    const inserted = [...journey.rowsAfter.values()].flat();
    expect(inserted.length).toBeGreaterThan(0);
    const problems = await withConnection(withoutSchemaParam(journey.databaseUrl), (client) =>
      changesSince(client, journey.schema, inserted, RENAMED[service]),
    );
    expect(problems).toEqual([]);
  });

  it('end up up to date, with nothing between schema.prisma and the migrations (no drift, nothing left to create)', async () => {
    expect(await migrationStatus({ service, databaseUrl: journey.databaseUrl, workspaceRoot: root })).toMatchObject({ upToDate: true });
    expect(await createMigration({ service, name: 'drift_probe', createOnly: true, databaseUrl: journey.databaseUrl, workspaceRoot: workspace.root })).toEqual({});
  }, 60_000);
});

describe('proactive-delivery 20261121054256_configuration_callee_hours on filled rows', () => {
  it('gives configurations created before it the TCPA callee-local hours and keeps their retry intervals, now in seconds by name', async () => {
    const { databaseUrl, schema, rowsAfter } = await migrateOneByOne('proactive-delivery');
    const before = rowsAfter.get('20261121052422_init')?.find((row) => row.table === 'engagement_configuration');
    const [now] = await sql<{ callee_local_hours: unknown; retry_intervals_seconds: unknown }>(
      databaseUrl,
      `SELECT callee_local_hours, retry_intervals_seconds FROM ${schema}.engagement_configuration WHERE id = $1`,
      [before?.key['id']],
    );
    expect(now).toEqual({ callee_local_hours: { start: '08:00', end: '21:00' }, retry_intervals_seconds: before?.values['retry_intervals'] });
  }, 180_000);
});

describe('proactive-delivery 20261202004425_delivery_request_key on filled rows', () => {
  it('gives every existing delivery its request key: its Idempotency-Key, or without one its fingerprint (PD1.5)', async () => {
    const service = 'proactive-delivery';
    const databaseUrl = databases.url();
    await deployMigrations({ service, databaseUrl, workspaceRoot: root, through: '20261121054834_tenant_phone_number_validation' });
    const [keyed, keyless] = await withConnection(withoutSchemaParam(databaseUrl), async (client) => {
      const factory = new RowFactory(client, 'proactive_delivery');
      const deliveries = [...(await factory.fillEveryTable()), ...(await factory.fillEveryTable())].filter((row) => row.table === 'proactive_delivery');
      await client.query('UPDATE proactive_delivery.proactive_delivery SET idempotency_key = NULL WHERE id = $1', [deliveries[1]?.key['id']]);
      return deliveries.map((row) => row.values);
    });

    await deployMigrations({ service, databaseUrl, workspaceRoot: root, through: '20261202004425_delivery_request_key' });

    const keys = await sql(databaseUrl, 'SELECT kind, key, delivery_id::text AS delivery_id FROM proactive_delivery.delivery_request_key ORDER BY kind');
    expect(keys).toEqual([
      { kind: 'idempotency_key', key: keyed?.['idempotency_key'], delivery_id: keyed?.['id'] },
      { kind: 'request_fingerprint', key: keyless?.['request_hash'], delivery_id: keyless?.['id'] },
    ]);
  }, 120_000);
});
