import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_URL } from './migrate/test-support/scratch-databases';
import { inPlainTransaction } from './pg-sql';

const pool = new pg.Pool({ connectionString: SERVER_URL, max: 2 });
// A session Postgres ends (the idle-in-transaction timeout) reaches an idle client's 'error' event.
pool.on('error', () => undefined);
const table = `plain_tx_${randomBytes(5).toString('hex')}`;
const rows = async () => (await pool.query<{ note: string }>(`SELECT note FROM ${table} ORDER BY note`)).rows.map((row) => row.note);

beforeAll(() => pool.query(`CREATE TABLE ${table} (note text PRIMARY KEY)`));
afterAll(async () => {
  await pool.query(`DROP TABLE IF EXISTS ${table}`);
  await pool.end();
});

describe('inPlainTransaction (ServiceDatabase.sqlTransaction)', () => {
  it('commits every statement of the work together, or none of them when it throws', async () => {
    expect(await inPlainTransaction(pool, async (tx) => (await tx.$executeRawUnsafe(`INSERT INTO ${table} VALUES ($1), ($2)`, 'a', 'b')), 5_000)).toBe(2);
    await expect(
      inPlainTransaction(pool, async (tx) => {
        await tx.$executeRawUnsafe(`INSERT INTO ${table} VALUES ($1)`, 'c');
        throw new Error('the work failed');
      }, 5_000),
    ).rejects.toThrow('the work failed');
    await expect(inPlainTransaction(pool, (tx) => tx.$executeRawUnsafe(`INSERT INTO ${table} VALUES ($1), ($2)`, 'd', 'a'), 5_000)).rejects.toThrow(/duplicate key/);
    expect(await rows()).toEqual(['a', 'b']);
  });

  it('a statement longer than the timeout ends the transaction, and its connection serves the next one', async () => {
    await expect(
      inPlainTransaction(pool, async (tx) => {
        await tx.$executeRawUnsafe(`INSERT INTO ${table} VALUES ($1)`, 'slow');
        await tx.$queryRawUnsafe('SELECT pg_sleep(2)');
      }, 200),
    ).rejects.toMatchObject({ code: '57014' });
    expect(await rows()).not.toContain('slow');
    // The settings were LOCAL: the same connection runs a long statement outside a transaction.
    await expect(pool.query('SELECT pg_sleep(0.3)')).resolves.toBeDefined();
  });

  it('work that pauses longer than the timeout between statements loses the transaction; the dead connection is not pooled again', async () => {
    await expect(
      inPlainTransaction(pool, async (tx) => {
        await tx.$executeRawUnsafe(`INSERT INTO ${table} VALUES ($1)`, 'paused');
        await new Promise((resolve) => setTimeout(resolve, 600));
        await tx.$executeRawUnsafe(`INSERT INTO ${table} VALUES ($1)`, 'after the pause');
      }, 150),
    ).rejects.toThrow();
    expect(await rows()).toEqual(['a', 'b']);
    // Both pooled connections answer (the terminated one was discarded, not handed out again).
    const answers = await Promise.all([1, 2].map(() => inPlainTransaction(pool, (tx) => tx.$queryRawUnsafe<Array<{ one: number }>>('SELECT 1 AS one, pg_sleep(0.05)'), 5_000)));
    expect(answers.map((answer) => answer[0]?.one)).toEqual([1, 1]);
  });
});
