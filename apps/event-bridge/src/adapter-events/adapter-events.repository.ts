import { Injectable } from '@nestjs/common';
import { type NewOutboxRow, outboxColumns } from '@switchboard/messaging';
import { quoteIdentifier } from '@switchboard/persistence';
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
// a concurrent twin is waited for, then skipped. Outbox rows keep the order of the events.
const INSERT_NEW_WITH_EVENTS = `
WITH stored AS (
  INSERT INTO ${TABLE} (id, tenant_id, dedupe_key, adapter_event_type, session_id, session_kind, agent_id,
                        sender_event_id, ingress, session_type, custom_data_verified, payload, received_at)
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                       $8::text[], $9::text[], $10::text[], $11::boolean[], $12::jsonb[], $13::timestamptz[])
  ON CONFLICT (tenant_id, dedupe_key) DO NOTHING
  RETURNING id, dedupe_key
),
published AS (
  INSERT INTO ${OUTBOX} (id, topic, key, envelope)
  SELECT event.id, event.topic, event.key, event.envelope
    FROM unnest($14::uuid[], $15::text[], $16::text[], $17::json[]) WITH ORDINALITY AS event(id, topic, key, envelope, position)
    JOIN stored ON stored.id = event.id
   ORDER BY event.position
)
SELECT dedupe_key FROM stored`;

const IDS_BY_DEDUPE_KEY = `SELECT id::text AS id, dedupe_key FROM ${TABLE} WHERE tenant_id = $1 AND dedupe_key = ANY($2::text[])`;

/** Accepted agent-adapter events, unique per tenant and dedupe key (EB2.2). */
@Injectable()
export class AdapterEventsRepository {
  constructor(private readonly database: PrismaService) {}

  /**
   * Stores the events the tenant does not have yet (their dedupe keys are distinct) and, for each one stored,
   * its outbox row (in `outbox`, the row whose id is the event's id); returns the dedupe keys stored. A prepared
   * statement on the pool, without Prisma's query layer: the hot path of every ingress (npm run bench:ingest).
   */
  async insertNew(events: NewAdapterEvent[], outbox: NewOutboxRow[]): Promise<Set<string>> {
    const column = <K extends keyof NewAdapterEvent>(key: K) => events.map((event) => event[key]);
    const rows = await this.database.sql.queryPrepared<{ dedupe_key: string }>('event_bridge.insert_adapter_events', INSERT_NEW_WITH_EVENTS, [
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
    return new Set(rows.map((row) => row.dedupe_key));
  }

  /** The ids of the tenant's stored events with these dedupe keys. */
  async idsByDedupeKey(tenantId: string, dedupeKeys: string[]): Promise<Map<string, string>> {
    if (dedupeKeys.length === 0) return new Map();
    const rows = await this.database.sql.$queryRawUnsafe<{ id: string; dedupe_key: string }[]>(IDS_BY_DEDUPE_KEY, tenantId, dedupeKeys);
    return new Map(rows.map((row) => [row.dedupe_key, row.id]));
  }
}
