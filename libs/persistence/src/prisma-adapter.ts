import { PrismaPg } from '@prisma/adapter-pg';
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
export function createPgAdapter({ databaseUrl, poolSize = 10 }: PgAdapterOptions): PrismaPg {
  const schema = schemaOf(databaseUrl);
  const url = new URL(databaseUrl);
  url.searchParams.delete('schema');
  return new PrismaPg(
    { connectionString: url.toString(), max: poolSize, options: `-c search_path=${quoteIdentifier(schema)}` },
    { schema },
  );
}

/** Anything with Prisma's interactive `$transaction(fn)`: a PrismaClient of any service. */
export interface InteractiveTransactions {
  $transaction<R>(work: (tx: SqlExecutor) => Promise<R>, options?: { timeout?: number; maxWait?: number }): Promise<R>;
}

/** Adapts a Prisma client to the TransactionRunner the messaging library takes. */
export function prismaTransactionRunner(client: InteractiveTransactions): TransactionRunner {
  return (work) => client.$transaction((tx) => work(tx), { timeout: 15_000 });
}
