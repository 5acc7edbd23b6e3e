import type { ClientBase, Pool } from 'pg';
import { SqlExecutor, TransactionRunner } from './sql';

/** Plain SQL on a pg pool or connection, with prepared statements for the hottest ones. */
export interface PlainSql extends SqlExecutor {
  /**
   * Runs `text` as the named prepared statement `name`: each connection parses and plans it once, later
   * calls send only the values. For a large statement on a hot path (the create API's) that saves the
   * parse and plan on every call and most of the bytes on the wire. One name, one text, always.
   */
  queryPrepared<T>(name: string, text: string, values: unknown[]): Promise<T[]>;
}

/** Plain SQL straight on a pg pool or connection: no query layer in between (see ServiceDatabase.sql). */
export function pgSqlExecutor(client: Pick<ClientBase, 'query'>): PlainSql {
  return {
    async $executeRawUnsafe(query, ...values) {
      return (await client.query(query, values)).rowCount ?? 0;
    },
    async $queryRawUnsafe<T>(query: string, ...values: unknown[]) {
      return (await client.query(query, values)).rows as T;
    },
    async queryPrepared<T>(name: string, text: string, values: unknown[]) {
      return (await client.query({ name, text, values })).rows as T[];
    },
  };
}

/** Runs `work` between BEGIN and COMMIT on one pg connection; ROLLBACK when it throws. */
export async function inPgTransaction<T>(client: ClientBase, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * `work` in one transaction on a connection of `pool`, bounded by Postgres: a statement running longer than
 * `timeoutMs`, or the work pausing longer than it between statements, ends the transaction (the idle one
 * the session too). The settings go out with BEGIN, in the same round trip. A connection whose rollback
 * failed is discarded rather than returned to the pool.
 */
export async function inPlainTransaction<T>(pool: Pool, work: (tx: PlainSql) => Promise<T>, timeoutMs: number): Promise<T> {
  const ms = Math.max(1, Math.floor(timeoutMs));
  const client = await pool.connect();
  let healthy = true;
  // A session Postgres ends while the work pauses (the idle timeout) errors the checked-out client with no query to
  // fail: unheard, that 'error' would be an uncaught exception. Heard, it marks the connection as not to be reused.
  const onError = () => (healthy = false);
  client.on('error', onError);
  try {
    await client.query(`BEGIN; SET LOCAL statement_timeout = ${ms}; SET LOCAL idle_in_transaction_session_timeout = ${ms}`);
    const result = await work(pgSqlExecutor(client));
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => (healthy = false));
    throw error;
  } finally {
    client.off('error', onError);
    client.release(!healthy);
  }
}

/**
 * A TransactionRunner over a plain `pg` pool, for tools and tests that run without a Prisma client.
 * Services use their database's `transaction()` (see servicePrismaClient).
 */
export function pgTransactionRunner(pool: Pool): TransactionRunner {
  return async (work) => {
    const client = await pool.connect();
    try {
      return await inPgTransaction(client, () => work(pgSqlExecutor(client)));
    } finally {
      client.release();
    }
  };
}
