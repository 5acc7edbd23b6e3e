import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { quoteIdentifier } from './sql';

export interface ServiceDatabaseOptions {
  /** The database (DATABASE_URL). A `?schema=` in it is ignored: `schema` decides. */
  databaseUrl: string;
  /** The Postgres schema the service owns: Prisma's queries and the pool's search_path. */
  schema: string;
  /** Connections in the pool that Prisma and plain SQL share; default 10. */
  poolSize?: number;
}

/** A node-postgres pool in the service's schema, shared by Prisma and the service's plain SQL. */
export function createServicePool({ databaseUrl, schema, poolSize = 10 }: ServiceDatabaseOptions): pg.Pool {
  const url = new URL(databaseUrl);
  url.searchParams.delete('schema');
  const pool = new pg.Pool({ connectionString: url.toString(), max: poolSize, options: `-c search_path=${quoteIdentifier(schema)}` });
  // An idle connection that breaks (a server restart, a dropped network) is removed from the pool, and the next
  // query opens a new one; unheard, pg's 'error' event would end the whole process instead.
  pool.on('error', () => undefined);
  return pool;
}

/** Prisma over an existing pool: Prisma and raw SQL then share its connections. */
export function prismaAdapterOn(pool: pg.Pool, schema: string): PrismaPg {
  // Prisma's $disconnect still closes the pool, as it would a pool it created itself.
  return new PrismaPg(pool, { schema, disposeExternalPool: true });
}
