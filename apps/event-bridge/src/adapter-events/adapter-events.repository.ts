import { Injectable } from '@nestjs/common';
import { quoteIdentifier } from '@switchboard/persistence';
import { EVENT_BRIDGE_SCHEMA, type EventBridgeTx } from '../database/prisma.service';

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

// Thirteen array parameters however many events: one statement shape for Postgres to plan. A row
// whose (tenant_id, dedupe_key) exists is skipped; a concurrent twin is waited for, then skipped.
const INSERT_NEW = `
INSERT INTO ${TABLE} (id, tenant_id, dedupe_key, adapter_event_type, session_id, session_kind, agent_id,
                      sender_event_id, ingress, session_type, custom_data_verified, payload, received_at)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                     $8::text[], $9::text[], $10::text[], $11::boolean[], $12::jsonb[], $13::timestamptz[])
ON CONFLICT (tenant_id, dedupe_key) DO NOTHING
RETURNING dedupe_key`;

const IDS_BY_DEDUPE_KEY = `SELECT id::text AS id, dedupe_key FROM ${TABLE} WHERE tenant_id = $1 AND dedupe_key = ANY($2::text[])`;

/** Accepted agent-adapter events, unique per tenant and dedupe key (EB2.2). */
@Injectable()
export class AdapterEventsRepository {
  /** Stores the events the tenant does not have yet (their dedupe keys are distinct); returns the keys stored. */
  async insertNew(tx: EventBridgeTx, events: NewAdapterEvent[]): Promise<Set<string>> {
    const column = <K extends keyof NewAdapterEvent>(key: K) => events.map((event) => event[key]);
    const rows = await tx.$queryRawUnsafe<{ dedupe_key: string }[]>(
      INSERT_NEW,
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
    );
    return new Set(rows.map((row) => row.dedupe_key));
  }

  /** The ids of the tenant's stored events with these dedupe keys. */
  async idsByDedupeKey(tx: EventBridgeTx, tenantId: string, dedupeKeys: string[]): Promise<Map<string, string>> {
    if (dedupeKeys.length === 0) return new Map();
    const rows = await tx.$queryRawUnsafe<{ id: string; dedupe_key: string }[]>(IDS_BY_DEDUPE_KEY, tenantId, dedupeKeys);
    return new Map(rows.map((row) => [row.dedupe_key, row.id]));
  }
}
