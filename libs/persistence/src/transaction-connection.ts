import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';
import { pgSqlExecutor } from './pg-sql';
import type { SqlExecutor } from './sql';

/** The pg connection a Prisma interactive transaction checked out, seen from inside that transaction. */
interface TransactionSlot {
  connection?: Promise<pg.PoolClient>;
}

const slots = new AsyncLocalStorage<TransactionSlot>();

/**
 * Lets a service's transaction know which pooled connection Prisma runs it on: Prisma's pg adapter
 * checks one out with `pool.connect()` when the transaction starts, in the async context of the
 * `$transaction` call; the first such checkout inside `withTransactionSlot` is recorded. pg's own
 * `pool.query` checks out with a callback and is never recorded.
 */
export function recordTransactionConnections(pool: pg.Pool): void {
  const connect = pool.connect.bind(pool) as (callback?: unknown) => unknown;
  pool.connect = ((callback?: unknown) => {
    const slot = callback === undefined ? slots.getStore() : undefined;
    const checkout = connect(callback);
    if (slot && !slot.connection) slot.connection = checkout as Promise<pg.PoolClient>;
    return checkout;
  }) as pg.Pool['connect'];
}

export function withTransactionSlot<R>(run: (slot: TransactionSlot) => Promise<R>): Promise<R> {
  const slot: TransactionSlot = {};
  return slots.run(slot, () => run(slot));
}

/**
 * Prisma's transaction client with its two raw-SQL methods answered by the transaction's own pg
 * connection: the same transaction, without Prisma's query layer, which costs several times the
 * statement's own CPU for array parameters (npm run bench:consumer). Model queries stay Prisma's;
 * pg runs one query at a time per connection, so both kinds stay in the order they were issued.
 */
export function withPlainSql<Tx extends object>(prismaTx: Tx, connection: pg.PoolClient): Tx {
  const plain: SqlExecutor = pgSqlExecutor(connection);
  return new Proxy(prismaTx, {
    get(target, property) {
      if (property === '$executeRawUnsafe') return plain.$executeRawUnsafe;
      if (property === '$queryRawUnsafe') return plain.$queryRawUnsafe;
      return Reflect.get(target, property);
    },
  });
}
