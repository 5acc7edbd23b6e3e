import { quoteIdentifier, type SqlExecutor } from '@switchboard/persistence';

/** One row of a service's outbox (libs/persistence platform migration 0001), typed for assertions. */
export interface OutboxRow {
  seq: bigint;
  id: string;
  topic: string;
  key: string;
  envelope: { type: string; [attribute: string]: unknown };
  createdAt: Date;
  publishedAt: Date | null;
}

/**
 * The outbox rows of `schema` in relay order (`seq`), optionally only those under one Kafka key.
 * The outbox has no Prisma model (its tables come from the platform migrations), so tests read it here.
 */
export async function readOutbox(db: SqlExecutor, schema: string, filter: { key?: string } = {}): Promise<OutboxRow[]> {
  const rows = await db.$queryRawUnsafe<(Omit<OutboxRow, 'seq'> & { seq: string })[]>(
    `SELECT seq::text AS seq, id::text AS id, topic, key, envelope, created_at AS "createdAt", published_at AS "publishedAt"
       FROM ${quoteIdentifier(schema)}.outbox_event AS outbox WHERE ($1::text IS NULL OR key = $1) ORDER BY outbox.seq`,
    filter.key ?? null,
  );
  return rows.map((row) => ({ ...row, seq: BigInt(row.seq) }));
}
