import { CloudEvent, EventCatalog, eventCatalog } from '@switchboard/contracts';
import { quoteIdentifier, SqlExecutor } from '@switchboard/persistence';

export interface OutboxEntry {
  topic: string;
  event: CloudEvent;
  /** Kafka key: the aggregate id, so one entity's events stay in order (P3.2). Defaults to the subject. */
  key?: string;
}

/** An outbox row's values, for a caller that inserts them in its own statement (see outboxRows). */
export interface NewOutboxRow {
  id: string;
  topic: string;
  key: string;
  /** The CloudEvent as JSON text. */
  envelope: string;
}

/** Validates events at the source (P3.3) and shapes them as rows of the outbox_event table. */
export function outboxRows(entries: OutboxEntry[], catalog: EventCatalog = eventCatalog): NewOutboxRow[] {
  return entries.map((entry) => {
    catalog.parse(entry.topic, entry.event);
    return { id: entry.event.id, topic: entry.topic, key: entry.key ?? entry.event.subject, envelope: JSON.stringify(entry.event) };
  });
}

/**
 * The outbox rows as four arrays, the parameters of an insert that reads them with
 * `unnest($n::uuid[], $n+1::text[], $n+2::text[], $n+3::json[]) AS event(id, topic, key, envelope)`.
 */
export function outboxColumns(rows: NewOutboxRow[]): [ids: string[], topics: string[], keys: string[], envelopes: string[]] {
  return [rows.map((row) => row.id), rows.map((row) => row.topic), rows.map((row) => row.key), rows.map((row) => row.envelope)];
}

/**
 * The rows' envelopes as one JSON array text, for an insert that reads them with
 * `json_array_elements($n::json) WITH ORDINALITY AS envelope(value, position)` next to
 * `unnest(ids, topics, keys) WITH ORDINALITY AS event(id, topic, key, position)`, joined on position. As a json[]
 * parameter instead, every quote in every envelope would be escaped for the array literal (measured: about 40 %
 * of the writer's CPU), and Postgres would unescape them again.
 */
export function outboxEnvelopes(rows: NewOutboxRow[]): string {
  return `[${rows.map((row) => row.envelope).join(',')}]`;
}

/**
 * Writes events into the service's outbox inside the caller's transaction (P3.3): they reach Kafka if
 * and only if the state change that caused them commits. Events are validated here, at the source.
 */
export async function enqueueEvents(tx: SqlExecutor, schema: string, entries: OutboxEntry[], catalog: EventCatalog = eventCatalog): Promise<void> {
  if (entries.length === 0) return;
  const rows = outboxRows(entries, catalog);
  await tx.$executeRawUnsafe(
    `INSERT INTO ${quoteIdentifier(schema)}.outbox_event (id, topic, key, envelope)
     SELECT event.id, event.topic, event.key, envelope.value
       FROM unnest($1::uuid[], $2::text[], $3::text[]) WITH ORDINALITY AS event(id, topic, key, position)
       JOIN json_array_elements($4::json) WITH ORDINALITY AS envelope(value, position) USING (position)
      ORDER BY position`,
    rows.map((row) => row.id),
    rows.map((row) => row.topic),
    rows.map((row) => row.key),
    outboxEnvelopes(rows),
  );
}
