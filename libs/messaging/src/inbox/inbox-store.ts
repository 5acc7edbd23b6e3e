import { quoteIdentifier, SqlExecutor } from '@switchboard/persistence';

/**
 * The inbox table's SQL (P3.3): which events a consumer group has applied. Rows are written in the same
 * transaction as the handler's effects, so "recorded" and "applied" are one fact.
 */
export class InboxStore {
  private readonly table: string;

  constructor(schema: string) {
    this.table = `${quoteIdentifier(schema)}.inbox_event`;
  }

  /** Records the events of one topic; returns the ids that were new (the others were applied before). */
  async claim(tx: SqlExecutor, consumerGroup: string, topic: string, eventIds: string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const rows = await tx.$queryRawUnsafe<{ event_id: string }[]>(
      `INSERT INTO ${this.table} (consumer_group, event_id, topic)
       SELECT $1, ids.id, $3 FROM unnest($2::text[]) AS ids(id)
       ON CONFLICT DO NOTHING RETURNING event_id`,
      consumerGroup,
      eventIds,
      topic,
    );
    return new Set(rows.map((row) => row.event_id));
  }

  /** Deletes up to `limit` rows older than the retention; returns how many went. */
  async deleteOlderThan(tx: SqlExecutor, retentionHours: number, limit: number): Promise<number> {
    return tx.$executeRawUnsafe(
      `DELETE FROM ${this.table} WHERE ctid IN (
         SELECT ctid FROM ${this.table} WHERE processed_at < now() - make_interval(hours => $1) LIMIT $2)`,
      retentionHours,
      limit,
    );
  }
}
