import { Injectable } from '@nestjs/common';
import { type NewOutboxRow, outboxEnvelopes } from '@switchboard/messaging';
import { CoalescedWrites, type SqlExecutor } from '@switchboard/persistence';
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
 * The statement that stores accepted batches (OM3.2, OM3.3, OM5.4): every accepted or skipped message of each batch
 * and their outbox events, from arrays (one statement shape however many contacts and batches), atomic. A batch's
 * own values are given once ($1–$7, one element per batch); each message names its batch by position ($8).
 */
const INSERT_ACCEPTED = `
WITH batches AS (
  SELECT * FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::boolean[], $7::timestamptz[])
    WITH ORDINALITY AS b(tenant_id, request_id, configuration_id, channel_id, channel_type, in_timeline, at, batch)
),
messages AS (
  INSERT INTO ${Tables.message}
    (id, tenant_id, request_id, contact_index, configuration_id, channel_id, channel_type, to_number, locale, body,
     whatsapp_template, segments, status, status_reason, due_at, in_timeline, entity_relationship_name, customer_name,
     case_name, attempts, created_at, updated_at)
  SELECT m.id, b.tenant_id, b.request_id, m.contact_index, b.configuration_id, b.channel_id, b.channel_type, m.to_number, m.locale, m.body,
         m.whatsapp_template::jsonb, m.segments, m.status, m.status_reason, CASE WHEN m.status = 'queued' THEN COALESCE(m.due_at, b.at) END, b.in_timeline,
         m.entity_relationship_name, m.customer_name, m.case_name, 0, b.at, b.at
    FROM unnest($8::bigint[], $9::uuid[], $10::int[], $11::text[], $12::text[], $13::text[], $14::text[], $15::int[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::timestamptz[])
      AS m(batch, id, contact_index, to_number, locale, body, whatsapp_template, segments, status, status_reason, entity_relationship_name, customer_name, case_name, due_at)
    JOIN batches b USING (batch)
),
events AS (
  INSERT INTO ${Tables.outbox} (id, topic, key, envelope)
  SELECT event.id, event.topic, event.key, envelope.value
    FROM unnest($22::uuid[], $23::text[], $24::text[]) WITH ORDINALITY AS event(id, topic, key, position)
    JOIN json_array_elements($25::json) WITH ORDINALITY AS envelope(value, position) USING (position)
   ORDER BY position
)
SELECT 1`;

/** A batch with its outbox rows, as one request stores it. */
interface AcceptedWrite {
  batch: AcceptedBatch;
  events: NewOutboxRow[];
}

// Insert statements at once (of the pool's connections, which the rate-limit and consent reads share); batches
// arriving meanwhile share the next one.
const INSERTS_IN_FLIGHT = 4;
const BATCHES_PER_INSERT = 16;

/** outbound_messaging.outbound_message: the inserts of accepted batches (invoke API, rules, schedules). */
@Injectable()
export class MessagesRepository {
  private readonly inserts = new CoalescedWrites<AcceptedWrite, void>((writes) => this.insertTogether(writes), { maxInFlight: INSERTS_IN_FLIGHT, maxBatch: BATCHES_PER_INSERT });

  constructor(private readonly database: PrismaService) {}

  /**
   * Stores the batch's messages with their events. On the pool, concurrent requests' batches share one prepared
   * statement (CoalescedWrites: one round trip and one commit for several; each caller's promise settles once its
   * batch is committed, and a failing statement is retried batch by batch). Given a transaction (an inbox handler's,
   * a job's), the same statement runs in it alone, so the batch commits with its other work.
   */
  async insertAccepted(batch: AcceptedBatch, events: NewOutboxRow[], tx?: SqlExecutor): Promise<void> {
    if (tx) await tx.$executeRawUnsafe(INSERT_ACCEPTED, ...insertParameters([{ batch, events }]));
    else await this.inserts.write({ batch, events });
  }

  private async insertTogether(writes: AcceptedWrite[]): Promise<void[]> {
    await this.database.sql.queryPrepared('outbound_messaging.insert_accepted', INSERT_ACCEPTED, insertParameters(writes));
    return writes.map(() => undefined);
  }
}

/** The statement's parameters for these batches, in order. */
function insertParameters(writes: readonly AcceptedWrite[]): unknown[] {
  const batches = writes.map((write) => write.batch);
  const messages = batches.flatMap((batch, index) => batch.messages.map((message) => ({ batch: index + 1, message })));
  const column = <K extends keyof NewMessage>(key: K) => messages.map(({ message }) => message[key]);
  const events = writes.flatMap((write) => write.events);
  return [
    batches.map((batch) => batch.tenantId),
    batches.map((batch) => batch.requestId),
    batches.map((batch) => batch.configurationId),
    batches.map((batch) => batch.channelId),
    batches.map((batch) => batch.channelType),
    batches.map((batch) => batch.inTimeline),
    batches.map((batch) => batch.at),
    messages.map(({ batch }) => batch),
    column('id'),
    column('contactIndex'),
    column('toNumber'),
    column('locale'),
    column('body'),
    messages.map(({ message }) => (message.whatsappTemplate === null ? null : JSON.stringify(message.whatsappTemplate))),
    column('segments'),
    column('status'),
    column('statusReason'),
    column('entityRelationshipName'),
    column('customerName'),
    column('caseName'),
    column('dueAt'),
    events.map((event) => event.id),
    events.map((event) => event.topic),
    events.map((event) => event.key),
    outboxEnvelopes(events),
  ];
}
