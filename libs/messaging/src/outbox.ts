import { CloudEvent, EventCatalog, eventCatalog } from '@switchboard/contracts';
import { quoteIdentifier, SqlExecutor } from '@switchboard/persistence';

export interface OutboxEntry {
  topic: string;
  event: CloudEvent;
  /** Kafka key: the aggregate id, so one entity's events stay in order (P3.2). Defaults to the subject. */
  key?: string;
}

/**
 * Writes events into the service's outbox inside the caller's transaction (P3.3): they reach Kafka if
 * and only if the state change that caused them commits. Events are validated here, at the source.
 */
export async function enqueueEvents(tx: SqlExecutor, schema: string, entries: OutboxEntry[], catalog: EventCatalog = eventCatalog): Promise<void> {
  if (entries.length === 0) return;
  for (const entry of entries) catalog.parse(entry.topic, entry.event);
  // Four array parameters, however many rows: one statement shape for Postgres to plan.
  await tx.$executeRawUnsafe(
    `INSERT INTO ${quoteIdentifier(schema)}.outbox_event (id, topic, key, envelope)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[])`,
    entries.map((entry) => entry.event.id),
    entries.map((entry) => entry.topic),
    entries.map((entry) => entry.key ?? entry.event.subject),
    entries.map((entry) => JSON.stringify(entry.event)),
  );
}
