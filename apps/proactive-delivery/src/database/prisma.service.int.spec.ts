import { deployMigrations, withConnection } from '@switchboard/persistence/migrate';
import { createTestDatabase, eventually, readOutbox, type TestDatabase } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROACTIVE_DELIVERY_SCHEMA, PrismaService } from './prisma.service';

const TENANT = 'b1c2d3e4-0000-4000-8000-000000000001';

/** The shared base every service's PrismaService is (servicePrismaClient), exercised through this service's client. */
describe('PrismaService = servicePrismaClient(PrismaClient)', () => {
  let database: TestDatabase;
  let prisma: PrismaService;

  beforeAll(async () => {
    database = await createTestDatabase('pd_db');
    await deployMigrations({ service: 'proactive-delivery', databaseUrl: database.url });
    // Another schema named in the URL must not matter: the `schema` option decides.
    prisma = new PrismaService({ databaseUrl: `${database.url}?schema=elsewhere`, schema: PROACTIVE_DELIVERY_SCHEMA, poolSize: 3 });
  }, 60_000);

  afterAll(async () => {
    await prisma?.onApplicationShutdown().catch(() => undefined);
    await database?.drop();
  });

  const settingsRow = (idempotencyPeriodSeconds: number) => ({
    tenantId: TENANT,
    frequencyCapAttempts: 3,
    frequencyCapPeriodHours: 24,
    idempotencyPeriodSeconds,
  });
  const insertOutboxRow = (tx: { $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> }, key: string) =>
    tx.$executeRawUnsafe(
      `INSERT INTO ${PROACTIVE_DELIVERY_SCHEMA}.outbox_event (id, topic, key, envelope) VALUES ($1::uuid, 'proactive.delivery.v1', $2, '{"type":"probe"}')`,
      randomUUID(),
      key,
    );

  it('transaction() commits Prisma writes and raw SQL together', async () => {
    const key = `commit-${randomUUID()}`;
    await prisma.transaction(async (tx) => {
      await tx.tenantDialingSettings.upsert({ where: { tenantId: TENANT }, create: settingsRow(60), update: settingsRow(60) });
      await insertOutboxRow(tx, key);
    });
    expect(await prisma.tenantDialingSettings.findUnique({ where: { tenantId: TENANT } })).toMatchObject({ idempotencyPeriodSeconds: 60 });
    expect(await readOutbox(prisma, PROACTIVE_DELIVERY_SCHEMA, { key })).toHaveLength(1);
  });

  it('transaction() rolls both back when the work throws, and rethrows', async () => {
    const key = `rollback-${randomUUID()}`;
    const failing = prisma.transaction(async (tx) => {
      await tx.tenantDialingSettings.update({ where: { tenantId: TENANT }, data: { idempotencyPeriodSeconds: 120 } });
      await insertOutboxRow(tx, key);
      throw new Error('the work failed');
    });
    await expect(failing).rejects.toThrow('the work failed');
    expect(await prisma.tenantDialingSettings.findUnique({ where: { tenantId: TENANT } })).toMatchObject({ idempotencyPeriodSeconds: 60 });
    expect(await readOutbox(prisma, PROACTIVE_DELIVERY_SCHEMA, { key })).toEqual([]);
  });

  it("transaction() runs raw SQL plainly on the transaction's own connection, beside Prisma's model queries", async () => {
    const seen = await prisma.transaction(async (tx) => {
      const [plain] = await tx.$queryRawUnsafe<{ pid: number; big: unknown }[]>('SELECT pg_backend_pid() AS pid, 1::bigint AS big');
      // Prisma's own raw path (tagged template), for comparison: same connection, Prisma's types.
      const [viaPrisma] = await tx.$queryRaw<{ pid: number; big: unknown }[]>`SELECT pg_backend_pid() AS pid, 1::bigint AS big`;
      await tx.tenantDialingSettings.update({ where: { tenantId: TENANT }, data: { idempotencyPeriodSeconds: 90 } });
      const [read] = await tx.$queryRawUnsafe<{ seconds: number }[]>('SELECT idempotency_period_seconds AS seconds FROM tenant_dialing_settings WHERE tenant_id = $1', TENANT);
      throw Object.assign(new Error('roll back'), { seen: { plain, viaPrisma, read } });
    }).catch((error: { seen: Record<string, { pid: number; big: unknown; seconds: number }> }) => error.seen);

    expect(seen['plain']?.pid).toBe(seen['viaPrisma']?.pid);
    expect(seen['plain']?.big).toBe('1'); // node-postgres' text for int8: no Prisma layer in between
    expect(seen['viaPrisma']?.big).toBe(1n);
    expect(seen['read']?.seconds).toBe(90); // the raw read sees Prisma's uncommitted write: one transaction
    expect(await prisma.tenantDialingSettings.findUnique({ where: { tenantId: TENANT } })).toMatchObject({ idempotencyPeriodSeconds: 60 });
  });

  it('Prisma, its raw SQL and the plain `sql` executor all run in the service schema, on the one pool', async () => {
    const [viaPrisma] = await prisma.$queryRawUnsafe<{ schema: string }[]>('SELECT current_schema() AS schema');
    const [viaPool] = await prisma.sql.$queryRawUnsafe<{ schema: string }[]>('SELECT current_schema() AS schema');
    expect([viaPrisma?.schema, viaPool?.schema]).toEqual([PROACTIVE_DELIVERY_SCHEMA, PROACTIVE_DELIVERY_SCHEMA]);
    expect(prisma.pool.options.max).toBe(3);
  });

  it('survives the server ending its idle connections, also before Prisma ever connected: nothing crashes, the next query opens a new one', async () => {
    const sqlOnly = new PrismaService({ databaseUrl: database.url, schema: PROACTIVE_DELIVERY_SCHEMA });
    try {
      await sqlOnly.sql.$queryRawUnsafe('SELECT 1');
      const [own] = await sqlOnly.sql.$queryRawUnsafe<{ pid: number }[]>('SELECT pg_backend_pid() AS pid');

      await withConnection(database.url, (admin) => admin.query('SELECT pg_terminate_backend($1)', [own?.pid]));
      await eventually(async () => (sqlOnly.pool.totalCount === 0 ? true : undefined), 'the pool to drop its terminated connection');

      expect(await sqlOnly.sql.$queryRawUnsafe('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await sqlOnly.onApplicationShutdown();
    }
  });

  it('onApplicationShutdown() disconnects Prisma and ends the shared pool', async () => {
    const closing = new PrismaService({ databaseUrl: database.url, schema: PROACTIVE_DELIVERY_SCHEMA });
    await closing.sql.$queryRawUnsafe('SELECT 1');
    expect(closing.pool.totalCount).toBeGreaterThan(0);

    await closing.onApplicationShutdown();

    expect(closing.pool.ended).toBe(true);
    expect(closing.pool.totalCount).toBe(0);
  });
});
