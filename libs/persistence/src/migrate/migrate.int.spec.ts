import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMigration,
  deployMigrations,
  generatePrismaClient,
  listMigratableServices,
  migrationChecksum,
  migrationStatus,
  SHADOW_DATABASE_PREFIX,
} from './index';
import { MigrationAdapterFactory } from './migration-adapter-factory';
import { databaseNameOf, withDatabase } from './postgres-admin';
import { createScratchWorkspace, type ScratchWorkspace } from './scratch-workspace';
import { ScratchDatabases, SERVER_URL, sql, tablesIn } from './test-support/scratch-databases';
import { engineTimerCounts } from './wasm-schema-engine';
import { findWorkspaceRoot } from './workspace-root';

const databases = new ScratchDatabases();
const throwawayDatabaseUrl = () => databases.url();

/** The slice of crm-sync's generated client this file uses (the generated code itself is not type-checked). */
type GeneratedAgentEventClient = new (options: { adapter: PrismaPg }) => {
  agentEventLog: {
    create(args: { data: { eventId: string; tenantId: string; adapterEventType: string; sessionId: string; occurredAt: Date } }): Promise<{ consumedAt: unknown }>;
    findUnique(args: { where: { eventId: string } }): Promise<Record<string, unknown> | null>;
  };
  $disconnect(): Promise<void>;
};

afterAll(async () => {
  await databases.dropAll();
});

describe('deployMigrations with the committed prisma/migrations of every service', () => {
  const root = findWorkspaceRoot();
  const databaseUrl = throwawayDatabaseUrl();
  let services: string[] = [];
  const firstDeploy = new Map<string, string[]>();

  beforeAll(async () => {
    services = await listMigratableServices(root);
    // Concurrently on purpose: many engines in one process, as the test harness will run them.
    const results = await Promise.all(services.map((service) => deployMigrations({ service, databaseUrl })));
    services.forEach((service, index) => firstDeploy.set(service, results[index]?.applied ?? []));
  });

  it('finds the five services and every one has committed migrations', () => {
    expect(services).toEqual(['crm-sync', 'event-bridge', 'outbound-messaging', 'proactive-delivery', 'storage-export']);
    for (const service of services) expect(existsSync(join(root, 'apps', service, 'prisma', 'migrations', 'migration_lock.toml'))).toBe(true);
  });

  it("creates the missing database and puts each service's tables, platform ones included, in its own schema, none in public (one schema per service)", async () => {
    for (const service of services) {
      const schema = service.replaceAll('-', '_');
      expect(await tablesIn(databaseUrl, schema)).toEqual(expect.arrayContaining(['_platform_migrations', '_prisma_migrations', 'inbox_event', 'outbox_event']));
    }
    expect(await tablesIn(databaseUrl, 'public')).toEqual([]);
  });

  it('records every migration folder in _prisma_migrations with the sha256 of its migration.sql', async () => {
    for (const service of services) {
      const schema = service.replaceAll('-', '_');
      const migrationsDir = join(root, 'apps', service, 'prisma', 'migrations');
      const rows = await sql<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
        databaseUrl,
        `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "${schema}"."_prisma_migrations" ORDER BY migration_name`,
      );
      expect(rows.map((row) => row.migration_name)).toEqual(firstDeploy.get(service));
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        const script = await readFile(join(migrationsDir, row.migration_name, 'migration.sql'), 'utf8');
        expect(row.checksum).toBe(migrationChecksum(script));
        expect(row.finished_at).toBeInstanceOf(Date);
        expect(row.applied_steps_count).toBe(1);
      }
    }
  });

  it('applies nothing on a second deploy', async () => {
    for (const service of services) expect(await deployMigrations({ service, databaseUrl })).toEqual({ applied: [], platformApplied: [] });
  });

  it('leaves no engine timer holding the process open once idle', () => {
    expect(engineTimerCounts().keepingProcessAlive).toBe(0);
  });
});

describe('createMigration, status and deploy on a scratch copy of crm-sync', () => {
  const service = 'crm-sync';
  let workspace: ScratchWorkspace;
  let devDatabaseUrl: string;
  let initName: string;

  beforeAll(async () => {
    workspace = await createScratchWorkspace([service]);
    devDatabaseUrl = throwawayDatabaseUrl();
    const { created } = await createMigration({ service, name: 'init', databaseUrl: devDatabaseUrl, workspaceRoot: workspace.root });
    if (!created) throw new Error('the initial migration was not created');
    initName = created;
  });

  afterAll(async () => {
    await workspace?.remove();
  });

  it('writes <timestamp>_init/migration.sql and the lock file like migrate dev, and applies it; the platform tables stay out of it', async () => {
    expect(initName).toMatch(/^\d{14}_init$/);
    const script = await readFile(join(workspace.migrationsDir(service), initName, 'migration.sql'), 'utf8');
    expect(script).toContain('CREATE TABLE "agent_event_log"');
    expect(script).not.toMatch(/outbox_event|inbox_event|_platform_migrations/);
    expect(await readFile(join(workspace.migrationsDir(service), 'migration_lock.toml'), 'utf8')).toContain('provider = "postgresql"');
    expect(await tablesIn(devDatabaseUrl, 'crm_sync')).toEqual(expect.arrayContaining(['inbox_event', 'outbox_event']));
  });

  it('creates nothing when the schema has not changed', async () => {
    const again = await createMigration({ service, name: 'nothing', databaseUrl: devDatabaseUrl, workspaceRoot: workspace.root });
    expect(again).toEqual({});
  });

  it('turns a schema change into a new migration folder holding that change, keeping existing rows', async () => {
    const keptId = '8f14e45f-ceea-467f-a0e2-5f8e0a3a5b7c';
    await sql(devDatabaseUrl, `INSERT INTO crm_sync.outbox_event (id, topic, key, envelope) VALUES ($1, 't', 'k', '{}')`, [keptId]);
    await appendFile(workspace.schemaPath(service), '\nmodel ScratchWidget {\n  id    Int    @id\n  label String\n\n  @@map("scratch_widget")\n}\n');

    const { created } = await createMigration({ service, name: 'add_widget', databaseUrl: devDatabaseUrl, workspaceRoot: workspace.root });

    expect(created).toMatch(/^\d{14}_add_widget$/);
    const script = await readFile(join(workspace.migrationsDir(service), created ?? '', 'migration.sql'), 'utf8');
    expect(script).toContain('CREATE TABLE "scratch_widget"');
    expect(script).not.toContain('outbox_event');
    expect(await tablesIn(devDatabaseUrl, 'crm_sync')).toContain('scratch_widget');
    // The shadow database is a separate throwaway database: the main one is never reset.
    expect(await sql(devDatabaseUrl, 'SELECT id FROM crm_sync.outbox_event WHERE id = $1', [keptId])).toHaveLength(1);
  });

  it('reports a created-only migration as pending, then applied after deploy', async () => {
    await appendFile(workspace.schemaPath(service), '\nmodel ScratchGadget {\n  id Int @id\n\n  @@map("scratch_gadget")\n}\n');
    const { created } = await createMigration({
      service,
      name: 'add_gadget',
      createOnly: true,
      databaseUrl: devDatabaseUrl,
      workspaceRoot: workspace.root,
    });
    expect(created).toBeDefined();

    const before = await migrationStatus({ service, databaseUrl: devDatabaseUrl, workspaceRoot: workspace.root });
    expect(before).toMatchObject({ databaseExists: true, pending: [created], upToDate: false });
    expect(before.applied).not.toContain(created);

    expect(await deployMigrations({ service, databaseUrl: devDatabaseUrl, workspaceRoot: workspace.root })).toEqual({ applied: [created], platformApplied: [] });
    const after = await migrationStatus({ service, databaseUrl: devDatabaseUrl, workspaceRoot: workspace.root });
    expect(after).toMatchObject({ pending: [], failed: [], edited: [], upToDate: true });
    // Same-second migrations can be applied in another order than their folder names sort in.
    expect([...after.applied].sort()).toEqual(after.local);
    expect(after.applied).toContain(created);
  });

  it('reports every local migration as pending for a database that does not exist, without creating it', async () => {
    const missing = throwawayDatabaseUrl();
    const status = await migrationStatus({ service, databaseUrl: missing, workspaceRoot: workspace.root });
    expect(status).toMatchObject({ databaseExists: false, applied: [], upToDate: false });
    expect(status.pending).toEqual(status.local);
    expect(await sql(SERVER_URL, 'SELECT 1 FROM pg_database WHERE datname = $1', [databaseNameOf(missing)])).toHaveLength(0);
  });

  it('applies a hand-written migration whose $$ function body contains semicolons, on deploy and in the shadow replay', async () => {
    const name = '29990101000000_outbox_backlog_function';
    await mkdir(join(workspace.migrationsDir(service), name));
    await writeFile(
      join(workspace.migrationsDir(service), name, 'migration.sql'),
      [
        'CREATE FUNCTION outbox_backlog() RETURNS integer AS $$',
        'DECLARE backlog integer;',
        'BEGIN',
        '  SELECT count(*) INTO backlog FROM outbox_event WHERE published_at IS NULL;',
        '  RETURN backlog;',
        'END;',
        // Resolve outbox_event in the schema the migration ran in, whoever calls the function.
        '$$ LANGUAGE plpgsql SET search_path FROM CURRENT;',
        '',
      ].join('\n'),
    );

    const deployed = await deployMigrations({ service, databaseUrl: devDatabaseUrl, workspaceRoot: workspace.root });
    expect(deployed).toEqual({ applied: [name], platformApplied: [] });
    const [before] = await sql<{ backlog: number }>(devDatabaseUrl, 'SELECT crm_sync.outbox_backlog() AS backlog');
    await sql(devDatabaseUrl, `INSERT INTO crm_sync.outbox_event (id, topic, key, envelope) VALUES (gen_random_uuid(), 't', 'k', '{}')`);
    expect(await sql(devDatabaseUrl, 'SELECT crm_sync.outbox_backlog() AS backlog')).toEqual([{ backlog: (before?.backlog ?? NaN) + 1 }]);

    // migrate dev replays the whole history, function included, on a shadow database before diffing.
    expect(await createMigration({ service, name: 'after_function', databaseUrl: devDatabaseUrl, workspaceRoot: workspace.root })).toEqual({});
  });

  it('on a database that is behind, applies the pending migrations first and then creates the next one', async () => {
    const behind = throwawayDatabaseUrl();
    await appendFile(workspace.schemaPath(service), '\nmodel ScratchGizmo {\n  id Int @id\n\n  @@map("scratch_gizmo")\n}\n');

    const { created } = await createMigration({ service, name: 'add_gizmo', databaseUrl: behind, workspaceRoot: workspace.root });

    expect(created).toMatch(/^\d{14}_add_gizmo$/);
    const script = await readFile(join(workspace.migrationsDir(service), created ?? '', 'migration.sql'), 'utf8');
    expect(script).toContain('CREATE TABLE "scratch_gizmo"');
    expect(script).not.toContain('scratch_widget');
    const status = await migrationStatus({ service, databaseUrl: behind, workspaceRoot: workspace.root });
    expect(status).toMatchObject({ upToDate: true, pending: [] });
    expect(status.local).toContain(created);
  });

  it('rejects a failing migration with the database error, reports it failed, and keeps working afterwards', async () => {
    const broken = await createScratchWorkspace([service]);
    try {
      const name = '20000101000000_broken';
      await mkdir(join(broken.migrationsDir(service), name), { recursive: true });
      await writeFile(join(broken.migrationsDir(service), name, 'migration.sql'), 'CREATE TABLE half_done (id int);\nSELECT 1 / 0;\n');
      const databaseUrl = throwawayDatabaseUrl();

      await expect(deployMigrations({ service, databaseUrl, workspaceRoot: broken.root })).rejects.toThrow(/division by zero/);
      const status = await migrationStatus({ service, databaseUrl, workspaceRoot: broken.root });
      expect(status.failed).toEqual([name]);
      expect(status.upToDate).toBe(false);
      // The whole file ran as one implicit transaction, so nothing of it stayed behind.
      expect(await tablesIn(databaseUrl, 'crm_sync')).not.toContain('half_done');
    } finally {
      await broken.remove();
    }
    // Same process, same wasm instance: the engine is still usable after a failed command.
    await deployMigrations({ service, databaseUrl: devDatabaseUrl, workspaceRoot: workspace.root });
    expect(await migrationStatus({ service, databaseUrl: devDatabaseUrl, workspaceRoot: workspace.root })).toMatchObject({ upToDate: true });
  });

  it('runs the generated Prisma 7 client over PrismaPg in the service schema: create and find an AgentEventLog', async () => {
    const generatedClient = join(workspace.root, 'apps', service, 'src', 'generated', 'prisma', 'client.ts');
    await generatePrismaClient({ service, workspaceRoot: workspace.root });
    expect(existsSync(generatedClient)).toBe(true);

    const { PrismaClient } = (await import(generatedClient)) as { PrismaClient: GeneratedAgentEventClient };
    const schema = 'crm_sync';
    const adapter = new PrismaPg(
      { connectionString: withDatabase(devDatabaseUrl, databaseNameOf(devDatabaseUrl)), options: `-c search_path=${schema}` },
      { schema },
    );
    const prisma = new PrismaClient({ adapter });
    try {
      const row = { eventId: 'evt-1', tenantId: 'tenant-1', adapterEventType: 'New_Call', sessionId: 'call-1', occurredAt: new Date('2026-01-02T03:04:05.006Z') };
      const created = await prisma.agentEventLog.create({ data: row });
      expect(created.consumedAt).toBeInstanceOf(Date);
      expect(await prisma.agentEventLog.findUnique({ where: { eventId: 'evt-1' } })).toMatchObject(row);
      expect(await sql(devDatabaseUrl, 'SELECT session_id FROM crm_sync.agent_event_log WHERE event_id = $1', ['evt-1'])).toEqual([{ session_id: 'call-1' }]);
    } finally {
      await prisma.$disconnect();
    }
  });
});

describe('the shadow database built for the engine', () => {
  it(`is a separate ${SHADOW_DATABASE_PREFIX}<uuid> database with the service schema, dropped on dispose`, async () => {
    const databaseUrl = throwawayDatabaseUrl();
    await deployMigrations({ service: 'storage-export', databaseUrl });
    const factory = new MigrationAdapterFactory(databaseUrl, 'storage_export');
    const shadow = await factory.connectToShadowDb();
    let shadowName = '';
    try {
      const [where] = (await shadow.queryRaw({ sql: 'SELECT current_database() AS db, current_schema() AS schema', args: [], argTypes: [] })).rows;
      shadowName = String(where?.[0]);
      expect(shadowName).toMatch(new RegExp(`^${SHADOW_DATABASE_PREFIX}[0-9a-f_]{36}$`));
      expect(where?.[1]).toBe('storage_export');
    } finally {
      await shadow.dispose();
    }
    expect(await sql(SERVER_URL, 'SELECT 1 FROM pg_database WHERE datname = $1', [shadowName])).toHaveLength(0);
  });
});
