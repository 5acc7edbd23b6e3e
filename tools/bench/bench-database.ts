import { dropDatabase, ensureDatabase, withConnection } from '@switchboard/persistence/migrate';
import { randomBytes } from 'node:crypto';

export const DEFAULT_POSTGRES_SERVER = 'postgresql://postgres@127.0.0.1:5432';

/** Where the service stores deliveries (its migrations create it). */
export const SERVICE_DELIVERY_TABLE = 'proactive_delivery.proactive_delivery';
/** The baseline's copy: same columns, defaults and indexes, so an insert costs Postgres the same work. */
export const BASELINE_DELIVERY_TABLE = 'bench_baseline.proactive_delivery';

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh `sb_bench_<random>` database on the server of `serverUrl` (whatever database that URL names). */
export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `sb_bench_${randomBytes(4).toString('hex')}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  url.searchParams.delete('schema');
  await ensureDatabase(url.toString());
  return { name, url: url.toString(), drop: () => dropDatabase(url.toString(), name) };
}

/**
 * A baseline's copy of the service's table `source` as `copy` (schema.table; its schema is created): same
 * columns, defaults and indexes (not foreign keys), so that an insert costs Postgres the same work.
 */
export function createBaselineTable(url: string, source: string, copy: string): Promise<void> {
  const [schema] = copy.split('.');
  return withConnection(url, async (client) => {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`CREATE TABLE ${copy} (LIKE ${source} INCLUDING ALL)`);
  });
}

export interface RowCount {
  /** Every row of the table. */
  total: number;
  /** Rows whose id is one of `ids`. */
  matching: number;
}

export function countRows(url: string, table: string, ids: readonly string[]): Promise<RowCount> {
  return withConnection(url, async (client) => {
    const { rows } = await client.query<{ total: string; matching: string }>(
      `SELECT count(*) AS total, count(*) FILTER (WHERE id = ANY($1::uuid[])) AS matching FROM ${table}`,
      [ids],
    );
    return { total: Number(rows[0].total), matching: Number(rows[0].matching) };
  });
}

/**
 * Flushes dirty pages before each measured run, so that neither target pays for a checkpoint the other one
 * caused. Needs a superuser or pg_checkpoint; skipped (returns false) when the role may not.
 */
export function checkpoint(url: string): Promise<boolean> {
  return withConnection(url, async (client) => {
    try {
      await client.query('CHECKPOINT');
      return true;
    } catch {
      return false;
    }
  });
}
