import { Injectable } from '@nestjs/common';
import { type NewOutboxRow, outboxColumns } from '@switchboard/messaging';
import { CoalescedWrites, quoteIdentifier } from '@switchboard/persistence';
import { EVENT_BRIDGE_SCHEMA, PrismaService } from '../database/prisma.service';

/** One accepted adapter event as stored (EB2.1); queried by (tenant_id, session_id) to merge sessions. */
export interface NewAdapterEvent {
  id: string;
  tenantId: string;
  dedupeKey: string;
  adapterEventType: string;
  sessionId: string;
  sessionKind: string;
  agentId: string | null;
  senderEventId: string | null;
  ingress: string;
  sessionType: string | null;
  customDataVerified: boolean | null;
  payload: object;
  receivedAt: Date;
}

const TABLE = `${quoteIdentifier(EVENT_BRIDGE_SCHEMA)}.adapter_event`;
const OUTBOX = `${quoteIdentifier(EVENT_BRIDGE_SCHEMA)}.outbox_event`;

// One statement for the events and their outbox rows: atomic on its own, so no transaction (BEGIN, COMMIT:
// two more round trips) is needed. Seventeen array parameters however many events: one shape for Postgres to
// plan once per connection. A row whose (tenant_id, dedupe_key) exists is skipped, and so is its outbox row;
// a concurrent twin is waited for, then skipped (so is a later row of the same statement with the same key:
// the first one stands). Outbox rows keep the order of the events. Returns the ids of the rows stored.
const INSERT_NEW_WITH_EVENTS = `
WITH stored AS (
  INSERT INTO ${TABLE} (id, tenant_id, dedupe_key, adapter_event_type, session_id, session_kind, agent_id,
                        sender_event_id, ingress, session_type, custom_data_verified, payload, received_at)
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                       $8::text[], $9::text[], $10::text[], $11::boolean[], $12::jsonb[], $13::timestamptz[])
  ON CONFLICT (tenant_id, dedupe_key) DO NOTHING
  RETURNING id
),
published AS (
  INSERT INTO ${OUTBOX} (id, topic, key, envelope)
  SELECT event.id, event.topic, event.key, event.envelope
    FROM unnest($14::uuid[], $15::text[], $16::text[], $17::json[]) WITH ORDINALITY AS event(id, topic, key, envelope, position)
    JOIN stored ON stored.id = event.id
   ORDER BY event.position
)
SELECT id::text AS id FROM stored`;

const IDS_BY_DEDUPE_KEY = `SELECT id::text AS id, dedupe_key FROM ${TABLE} WHERE tenant_id = $1 AND dedupe_key = ANY($2::text[])`;

interface EventsWrite {
  events: NewAdapterEvent[];
  outbox: NewOutboxRow[];
}

// Statements of concurrent requests' events at once (of the pool's 10 connections); the requests that
// arrive meanwhile share the next statement: measured with npm run bench:ingest.
const INSERTS_IN_FLIGHT = 4;
const REQUESTS_PER_INSERT = 32;

/** Accepted agent-adapter events, unique per tenant and dedupe key (EB2.2). */
@Injectable()
export class AdapterEventsRepository {
  private readonly writes = new CoalescedWrites<EventsWrite, Set<string>>((writes) => this.insertTogether(writes), {
    maxInFlight: INSERTS_IN_FLIGHT,
    maxBatch: REQUESTS_PER_INSERT,
  });

  constructor(private readonly database: PrismaService) {}

  /**
   * Stores the events the tenant does not have yet (their dedupe keys are distinct) and, for each one stored,
   * its outbox row (in `outbox`, the row whose id is the event's id); returns the dedupe keys stored. A prepared
   * statement on the pool, without Prisma's query layer: the hot path of every ingress (npm run bench:ingest).
   * Concurrent requests' events share a statement (CoalescedWrites); a request whose event has the same key
   * as an earlier one in that statement finds it not stored, and the earlier one's id by `idsByDedupeKey`.
   */
  insertNew(events: NewAdapterEvent[], outbox: NewOutboxRow[]): Promise<Set<string>> {
    return this.writes.write({ events, outbox });
  }

  private async insertTogether(writes: EventsWrite[]): Promise<Set<string>[]> {
    const events = writes.flatMap((write) => write.events);
    const outbox = writes.flatMap((write) => write.outbox);
    const column = <K extends keyof NewAdapterEvent>(key: K) => events.map((event) => event[key]);
    const rows = await this.database.sql.queryPrepared<{ id: string }>('event_bridge.insert_adapter_events', INSERT_NEW_WITH_EVENTS, [
      column('id'),
      column('tenantId'),
      column('dedupeKey'),
      column('adapterEventType'),
      column('sessionId'),
      column('sessionKind'),
      column('agentId'),
      column('senderEventId'),
      column('ingress'),
      column('sessionType'),
      column('customDataVerified'),
      events.map((event) => JSON.stringify(event.payload)),
      column('receivedAt'),
      ...outboxColumns(outbox),
    ]);
    const storedIds = new Set(rows.map((row) => row.id));
    return writes.map((write) => new Set(write.events.filter((event) => storedIds.has(event.id)).map((event) => event.dedupeKey)));
  }

  /** The ids of the tenant's stored events with these dedupe keys. */
  async idsByDedupeKey(tenantId: string, dedupeKeys: string[]): Promise<Map<string, string>> {
    if (dedupeKeys.length === 0) return new Map();
    const rows = await this.database.sql.$queryRawUnsafe<{ id: string; dedupe_key: string }[]>(IDS_BY_DEDUPE_KEY, tenantId, dedupeKeys);
    return new Map(rows.map((row) => [row.dedupe_key, row.id]));
  }
}
