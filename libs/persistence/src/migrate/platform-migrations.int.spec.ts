import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPlatformMigrations, listMigratableServices, PLATFORM_TABLES, platformMigrations } from './index';
import { ScratchDatabases, sql, tablesIn } from './test-support/scratch-databases';
import { findWorkspaceRoot } from './workspace-root';

const databases = new ScratchDatabases();

afterAll(async () => {
  await databases.dropAll();
});

const columnsOf = (databaseUrl: string, schema: string, table: string) =>
  sql<{ column_name: string; data_type: string; is_nullable: string }>(
    databaseUrl,
    'SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
    [schema, table],
  );
const indexesOf = async (databaseUrl: string, schema: string) =>
  (await sql<{ indexname: string }>(databaseUrl, 'SELECT indexname FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname', [schema])).map((row) => row.indexname);

describe('applyPlatformMigrations: the outbox and inbox tables, defined once (P3.3)', () => {
  it('creates outbox_event and inbox_event with the columns libs/messaging uses, and the inbox retention index, in a scratch schema', async () => {
    const databaseUrl = databases.url();
    await applyPlatformMigrations({ databaseUrl, schema: 'scratch_messaging' });

    expect(await tablesIn(databaseUrl, 'scratch_messaging')).toEqual([...PLATFORM_TABLES].sort());
    expect((await columnsOf(databaseUrl, 'scratch_messaging', 'outbox_event')).map((c) => c.column_name)).toEqual([
      'seq', 'id', 'topic', 'key', 'envelope', 'created_at', 'published_at', 'attempts', 'last_error',
    ]);
    expect(await columnsOf(databaseUrl, 'scratch_messaging', 'inbox_event')).toEqual([
      { column_name: 'consumer_group', data_type: 'text', is_nullable: 'NO' },
      { column_name: 'event_id', data_type: 'text', is_nullable: 'NO' },
      { column_name: 'topic', data_type: 'text', is_nullable: 'NO' },
      { column_name: 'processed_at', data_type: 'timestamp with time zone', is_nullable: 'NO' },
    ]);
    expect(await indexesOf(databaseUrl, 'scratch_messaging')).toEqual([
      '_platform_migrations_pkey',
      'inbox_event_pkey',
      'inbox_event_processed_at_idx',
      'job_pending_run_at_idx',
      'job_pkey',
      'job_running_lease_idx',
      'job_tenant_queue_created_idx',
      'outbox_event_pkey',
      'outbox_event_unpublished_idx',
      'outbox_relay_state_pkey',
    ]);
    expect(await tablesIn(databaseUrl, 'public')).toEqual([]);
  });

  it('records each migration with its checksum, applies nothing twice, and copes with concurrent callers', async () => {
    const databaseUrl = databases.url();
    await Promise.all(Array.from({ length: 4 }, () => applyPlatformMigrations({ databaseUrl, schema: 'scratch_twice' })));
    await applyPlatformMigrations({ databaseUrl, schema: 'scratch_twice' });

    const history = await sql(databaseUrl, 'SELECT name, checksum FROM scratch_twice._platform_migrations ORDER BY name');
    expect(history).toEqual(platformMigrations().map(({ name, checksum }) => ({ name, checksum })));
  });

  it('refuses to go on when an applied platform migration was changed since, naming it', async () => {
    const databaseUrl = databases.url();
    await applyPlatformMigrations({ databaseUrl, schema: 'scratch_edited' });
    await sql(databaseUrl, `UPDATE scratch_edited._platform_migrations SET checksum = 'an earlier version' WHERE name = $1`, [platformMigrations()[0]?.name]);

    await expect(applyPlatformMigrations({ databaseUrl, schema: 'scratch_edited' })).rejects.toThrow(
      /platform migration 0001_messaging_tables changed after it was applied to schema scratch_edited/,
    );
  });
});

describe('where the messaging tables are defined', () => {
  it('no service Prisma schema or migration defines outbox_event or inbox_event: only the platform migrations do', async () => {
    const root = findWorkspaceRoot();
    const offenders: string[] = [];
    for (const service of await listMigratableServices(root)) {
      const prismaDir = join(root, 'apps', service, 'prisma');
      const files = (await readdir(prismaDir, { recursive: true })).filter((file) => /\.(prisma|sql)$/.test(file));
      for (const file of files) {
        const text = await readFile(join(prismaDir, file), 'utf8');
        if (/CREATE TABLE "(outbox|inbox)_event"|@@map\("(outbox|inbox)_event"\)/.test(text)) offenders.push(`apps/${service}/prisma/${file}`);
      }
    }
    expect(offenders).toEqual([]);
    expect(platformMigrations().some((migration) => migration.sql.includes('CREATE TABLE IF NOT EXISTS "outbox_event"'))).toBe(true);
  });
});
