/**
 * The two raw-SQL methods the infrastructure libraries need. A Prisma client and a Prisma interactive
 * transaction both satisfy it, so outbox and inbox writes join the caller's transaction.
 */
export interface SqlExecutor {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

/**
 * Runs `work` in one database transaction: all of it commits or none of it does. `Tx` is what the work
 * gets: a service's typed Prisma transaction client, or plain SQL where that is all a caller needs.
 */
export type TransactionRunner<Tx extends SqlExecutor = SqlExecutor> = <R>(work: (tx: Tx) => Promise<R>) => Promise<R>;

/** Postgres identifiers we interpolate (schema names) are checked, never taken from user input. */
export function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Refusing unsafe SQL identifier "${name}"`);
  return `"${name}"`;
}

/** `"schema"."table"`: the services name every table schema-qualified in their plain SQL. */
export function qualifiedTable(schema: string, table: string): string {
  return `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
}
