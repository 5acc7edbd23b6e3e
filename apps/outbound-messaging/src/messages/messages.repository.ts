import { Injectable } from '@nestjs/common';
import { type NewOutboxRow, outboxEnvelopes } from '@switchboard/messaging';
import type { SqlExecutor } from '@switchboard/persistence';
import { PrismaService } from '../database/prisma.service';
import { Tables } from '../database/tables';

/** What one invoke request stores for all its contacts. */
export interface AcceptedBatch {
  tenantId: string;
  requestId: string;
  configurationId: string;
  channelId: string;
  channelType: string;
  inTimeline: boolean;
  at: Date;
  messages: NewMessage[];
}

export interface NewMessage {
  id: string;
  contactIndex: number;
  toNumber: string;
  locale: string | null;
  body: string | null;
  whatsappTemplate: object | null;
  segments: number | null;
  status: 'queued' | 'skipped';
  statusReason: string | null;
  entityRelationshipName: string | null;
  customerName: string;
  caseName: string;
  /** When it may leave, if later than the batch's time (quiet hours); null: at once. */
  dueAt: Date | null;
}

/**
 * The invoke API's one statement (OM3.2, OM3.3, OM5.4): every accepted or skipped message of the
 * request and their outbox events, from arrays (one statement shape however many contacts), atomic.
 */
const INSERT_ACCEPTED = `
WITH messages AS (
  INSERT INTO ${Tables.message}
    (id, tenant_id, request_id, contact_index, configuration_id, channel_id, channel_type, to_number, locale, body,
     whatsapp_template, segments, status, status_reason, due_at, in_timeline, entity_relationship_name, customer_name,
     case_name, attempts, created_at, updated_at)
  SELECT m.id, $1, $2::uuid, m.contact_index, $3::uuid, $4::uuid, $5, m.to_number, m.locale, m.body,
         m.whatsapp_template::jsonb, m.segments, m.status, m.status_reason, CASE WHEN m.status = 'queued' THEN COALESCE(m.due_at, $7::timestamptz) END, $6,
         m.entity_relationship_name, m.customer_name, m.case_name, 0, $7, $7
    FROM unnest($8::uuid[], $9::int[], $10::text[], $11::text[], $12::text[], $13::text[], $14::int[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $24::timestamptz[])
      AS m(id, contact_index, to_number, locale, body, whatsapp_template, segments, status, status_reason, entity_relationship_name, customer_name, case_name, due_at)
),
events AS (
  INSERT INTO ${Tables.outbox} (id, topic, key, envelope)
  SELECT event.id, event.topic, event.key, envelope.value
    FROM unnest($20::uuid[], $21::text[], $22::text[]) WITH ORDINALITY AS event(id, topic, key, position)
    JOIN json_array_elements($23::json) WITH ORDINALITY AS envelope(value, position) USING (position)
   ORDER BY position
)
SELECT 1`;

/** outbound_messaging.outbound_message: the invoke API's inserts. */
@Injectable()
export class MessagesRepository {
  constructor(private readonly database: PrismaService) {}

  /**
   * Stores the batch's messages with their events: one prepared statement, plain SQL on the pool; or, given
   * a transaction (an inbox handler's, a job's), the same statement in it, so they commit with its other work.
   */
  async insertAccepted(batch: AcceptedBatch, events: NewOutboxRow[], tx?: SqlExecutor): Promise<void> {
    const column = <K extends keyof NewMessage>(key: K) => batch.messages.map((message) => message[key]);
    const values = [
      batch.tenantId,
      batch.requestId,
      batch.configurationId,
      batch.channelId,
      batch.channelType,
      batch.inTimeline,
      batch.at,
      column('id'),
      column('contactIndex'),
      column('toNumber'),
      column('locale'),
      column('body'),
      batch.messages.map((message) => (message.whatsappTemplate === null ? null : JSON.stringify(message.whatsappTemplate))),
      column('segments'),
      column('status'),
      column('statusReason'),
      column('entityRelationshipName'),
      column('customerName'),
      column('caseName'),
      events.map((event) => event.id),
      events.map((event) => event.topic),
      events.map((event) => event.key),
      outboxEnvelopes(events),
      column('dueAt'),
    ];
    if (tx) await tx.$executeRawUnsafe(INSERT_ACCEPTED, ...values);
    else await this.database.sql.queryPrepared('outbound_messaging.insert_accepted', INSERT_ACCEPTED, values);
  }
}
