import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { schemaOf } from './database-url';
import { quoteIdentifier, SqlExecutor, TransactionRunner } from './sql';

export interface PgAdapterOptions {
  /** Connection URL with `?schema=<service schema>` (see serviceDatabaseUrl). */
  databaseUrl: string;
  poolSize?: number;
}

/**
 * Prisma's driver adapter over node-postgres. The service schema becomes the connection's search_path
 * too, so the raw SQL of the outbox and inbox resolves to the service's own tables.
 */
export function createPgAdapter(options: PgAdapterOptions): PrismaPg {
  return prismaAdapterOn(createServicePool(options), schemaOf(options.databaseUrl));
}

/** A node-postgres pool in the service's schema, for a service that also runs raw SQL on it. */
export function createServicePool({ databaseUrl, poolSize = 10 }: PgAdapterOptions): pg.Pool {
  const url = new URL(databaseUrl);
  url.searchParams.delete('schema');
  return new pg.Pool({ connectionString: url.toString(), max: poolSize, options: `-c search_path=${quoteIdentifier(schemaOf(databaseUrl))}` });
}

/** Prisma over an existing pool: Prisma and raw SQL then share its connections. */
export function prismaAdapterOn(pool: pg.Pool, schema: string): PrismaPg {
  // Prisma's $disconnect still closes the pool, as it would a pool it created itself.
  return new PrismaPg(pool, { schema, disposeExternalPool: true });
}

/** Anything with Prisma's interactive `$transaction(fn)`: a PrismaClient of any service. */
export interface InteractiveTransactions {
  $transaction<R>(work: (tx: SqlExecutor) => Promise<R>, options?: { timeout?: number; maxWait?: number }): Promise<R>;
}

/** Adapts a Prisma client to the TransactionRunner the messaging library takes. */
export function prismaTransactionRunner(client: InteractiveTransactions): TransactionRunner {
  return (work) => client.$transaction((tx) => work(tx), { timeout: 15_000 });
}
