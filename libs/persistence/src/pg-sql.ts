import type { Pool, PoolClient } from 'pg';
import { SqlExecutor, TransactionRunner } from './sql';

function executorFor(client: Pool | PoolClient): SqlExecutor {
  return {
    async $executeRawUnsafe(query, ...values) {
      return (await client.query(query, values)).rowCount ?? 0;
    },
    async $queryRawUnsafe<T>(query: string, ...values: unknown[]) {
      return (await client.query(query, values)).rows as T;
    },
  };
}

/** A TransactionRunner over a plain `pg` pool, for tools and tests that run without a Prisma client. */
export function pgTransactionRunner(pool: Pool): TransactionRunner {
  return async (work) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(executorFor(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
}
