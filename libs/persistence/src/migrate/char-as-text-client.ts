import pg from 'pg';

/** Postgres' internal one-byte `"char"` type, used by pg_catalog columns such as relkind and contype. */
const PG_INTERNAL_CHAR_OID = 18;
const PG_TEXT_OID = 25;

type QueryCallback = (error: Error | null, result?: unknown) => void;

function relabelCharColumns(result: unknown): unknown {
  // A multi-statement query resolves to one result per statement.
  for (const single of Array.isArray(result) ? result : [result]) {
    for (const field of (single as pg.QueryResult | undefined)?.fields ?? []) {
      if (field.dataTypeID === PG_INTERNAL_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    }
  }
  return result;
}

/**
 * A pg client that reports `"char"` columns as text. The schema engine reads pg_catalog, and
 * @prisma/adapter-pg refuses OID 18 ("Column type 'char' could not be deserialized"); its values
 * already arrive as one-character strings, so relabelling the column is all that is needed.
 */
export class CharAsTextClient extends pg.Client {
  // pg's query() has many overloads (promise, callback, submittable); only `any` satisfies them all.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: unknown[]): any {
    const [config, valuesOrCallback, maybeCallback] = args;
    // Submittables (cursors, streams) manage their own results; leave them alone.
    if (typeof (config as { submit?: unknown } | null)?.submit === 'function') {
      return (super.query as (...a: unknown[]) => unknown)(...args);
    }
    const callback = (typeof valuesOrCallback === 'function' ? valuesOrCallback : maybeCallback) as QueryCallback | undefined;
    const values = typeof valuesOrCallback === 'function' ? undefined : valuesOrCallback;
    const promise = (super.query as (c: unknown, v: unknown) => Promise<unknown>)(config, values).then(relabelCharColumns);
    if (!callback) return promise;
    promise.then(
      (result) => callback(null, result),
      (error: Error) => callback(error),
    );
    return undefined;
  }
}
