import type { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { inPlainTransaction, pgSqlExecutor, type PlainSql } from './pg-sql';
import { createServicePool, prismaAdapterOn, type ServiceDatabaseOptions } from './prisma-adapter';
import { recordTransactionConnections, withPlainSql, withTransactionSlot } from './transaction-connection';

/** The interactive-transaction client of a generated PrismaClient: model queries and raw SQL alike. */
export type TransactionClientOf<Client extends { $transaction: (...args: never[]) => unknown }> = Parameters<Parameters<Client['$transaction']>[0]>[0];

export interface TransactionOptions {
  /** How long the work may take before Prisma rolls it back; default 15 s. */
  timeout?: number;
}

/** What servicePrismaClient adds to a service's generated PrismaClient. */
export interface ServiceDatabase<Tx> {
  /** The Postgres schema the service owns. */
  readonly schema: string;
  /** The pool Prisma runs on (its search_path is the service schema). */
  readonly pool: pg.Pool;
  /**
   * Plain SQL on that pool, outside any transaction, without Prisma's query layer: for the hot
   * statements where the benchmark shows that layer's cost (npm run bench). Everything else uses
   * Prisma, and `transaction()` for atomic work.
   */
  readonly sql: PlainSql;
  /**
   * The one transaction abstraction: `work` gets Prisma's transaction client; its raw-SQL methods run
   * plain on the transaction's own connection (no query layer), model queries through Prisma.
   */
  transaction<R>(work: (tx: Tx) => Promise<R>, options?: TransactionOptions): Promise<R>;
  /**
   * Atomic work in plain SQL only: BEGIN … COMMIT on one pooled connection, without Prisma's interactive-transaction
   * machinery (about 1 ms of CPU per transaction: a tenth of storage-export's CPU per small file in npm run
   * bench:export). For hot paths whose statements are all plain SQL; anything with model queries uses transaction().
   * The timeout is Postgres's: a statement, or a pause between statements, longer than it ends the transaction.
   */
  sqlTransaction<R>(work: (tx: PlainSql) => Promise<R>, options?: TransactionOptions): Promise<R>;
  /** Called by Nest on app.close(): rolls back open transactions, disconnects Prisma, ends the pool. */
  onApplicationShutdown(): Promise<void>;
}

type PrismaClientClass<Client> = new (options: { adapter: PrismaPg }) => Client;

interface InteractiveClient {
  $transaction<R>(work: (tx: unknown) => Promise<R>, options: { timeout: number; maxWait: number }): Promise<R>;
  $disconnect(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** Waiting for a free pooled connection under load is better than failing the request. */
const MAX_WAIT_FOR_CONNECTION_MS = 10_000;

/**
 * The one base of every service's database object, over the service's generated PrismaClient:
 *
 *   export class PrismaService extends servicePrismaClient(PrismaClient) {}
 *   new PrismaService({ databaseUrl, schema, poolSize })
 *
 * Plain constructor options, no framework injection: the platform module builds it from configuration.
 */
export function servicePrismaClient<Client extends { $transaction: (...args: never[]) => unknown }>(PrismaClient: PrismaClientClass<Client>) {
  const Base = PrismaClient as unknown as PrismaClientClass<InteractiveClient>;
  class ServicePrismaClient extends Base {
    readonly schema: string;
    readonly pool: pg.Pool;
    readonly sql: PlainSql;

    // A mixin's constructor must take `...args: any[]`; the returned type narrows it to ServiceDatabaseOptions.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    constructor(...args: any[]) {
      const options = args[0] as ServiceDatabaseOptions;
      const pool = createServicePool(options);
      recordTransactionConnections(pool);
      super({ adapter: prismaAdapterOn(pool, options.schema) });
      this.schema = options.schema;
      this.pool = pool;
      this.sql = pgSqlExecutor(pool);
    }

    transaction<R>(work: (tx: unknown) => Promise<R>, options: TransactionOptions = {}): Promise<R> {
      const settings = { timeout: options.timeout ?? DEFAULT_TIMEOUT_MS, maxWait: MAX_WAIT_FOR_CONNECTION_MS };
      return withTransactionSlot((slot) =>
        this.$transaction(async (tx) => {
          // Always set: Prisma checks the connection out in this call's async context (tested).
          const connection = await slot.connection;
          return work(connection ? withPlainSql(tx as object, connection) : tx);
        }, settings),
      );
    }

    sqlTransaction<R>(work: (tx: PlainSql) => Promise<R>, options: TransactionOptions = {}): Promise<R> {
      return inPlainTransaction(this.pool, work, options.timeout ?? DEFAULT_TIMEOUT_MS);
    }

    async onApplicationShutdown(): Promise<void> {
      await this.$disconnect();
      // Prisma ends the pool only if it ever connected; a service that used only `sql` must not keep it open.
      if (!this.pool.ended) await this.pool.end();
    }
  }
  return ServicePrismaClient as unknown as new (options: ServiceDatabaseOptions) => Client & ServiceDatabase<TransactionClientOf<Client>>;
}
