import { Injectable } from '@nestjs/common';
import { type NewOutboxRow, outboxEnvelopes } from '@switchboard/messaging';
import type { PlainSql } from '@switchboard/persistence';
import { inPgTransaction, pgSqlExecutor } from '@switchboard/persistence';
import { PrismaService } from '../database/prisma.service';
import { Tables } from '../database/tables';

/** A message claimed for sending, with what its provider call needs. */
export interface ClaimedMessage {
  id: string;
  tenantId: string;
  configurationId: string | null;
  channelId: string;
  channelType: string;
  toNumber: string;
  body: string | null;
  whatsappTemplate: { id: string; variables: Record<string, string> } | null;
  /** After this claim: the fencing token its outcome is written with. */
  attempts: number;
  /** Before this claim: set when an earlier attempt's outcome was never settled, so the provider may hold it (in doubt). */
  unconfirmedSince: Date | null;
  /** After this claim: the first of the unsettled attempts (this one, or the one in doubt). */
  firstAttemptAt: Date;
}

/** A claimed message's channel row, locked while its send slots are booked. */
export interface ChannelRow {
  id: string;
  tenantId: string;
  channelType: string;
  provider: string;
  sender: string;
  providerAccount: Record<string, string>;
  credentialsSealed: string | null;
  messagesPerSecond: number;
  rateTat: Date;
  updatedAt: Date;
}

/** What one send came to, written back in batches. */
export interface SendOutcome {
  message: ClaimedMessage;
  status: 'sent' | 'failed' | 'queued';
  providerMessageId?: string;
  errorCode?: string;
  errorMessage?: string;
  /** For a retry: when it is due again. */
  dueAt?: Date;
  /** For a retry: whether the provider may hold the message (the next attempt reconciles first). */
  unconfirmed?: boolean;
}

const RECOVER_EXPIRED_LEASES = `
UPDATE ${Tables.message} SET status = 'queued', due_at = $1, lease_expires_at = NULL, updated_at = $1
 WHERE status = 'sending' AND lease_expires_at <= $1`;

const CLAIM_DUE = `
SELECT id, tenant_id AS "tenantId", configuration_id AS "configurationId", channel_id AS "channelId", channel_type AS "channelType",
       to_number AS "toNumber", body, whatsapp_template AS "whatsappTemplate", attempts, unconfirmed_since AS "unconfirmedSince"
  FROM ${Tables.message}
 WHERE status = 'queued' AND due_at <= $1
 ORDER BY due_at
 LIMIT $2
   FOR UPDATE SKIP LOCKED`;

// Ordered by id: replicas lock a round's channels in one order, so they never deadlock.
const LOCK_CHANNELS = `
SELECT id, tenant_id AS "tenantId", channel_type AS "channelType", provider, sender, provider_account AS "providerAccount",
       credentials_sealed AS "credentialsSealed", messages_per_second AS "messagesPerSecond", rate_tat AS "rateTat", updated_at AS "updatedAt"
  FROM ${Tables.channel} WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`;

const SET_RATE_TATS = `
UPDATE ${Tables.channel} AS channel SET rate_tat = GREATEST(channel.rate_tat, booked.tat)
  FROM unnest($1::uuid[], $2::timestamptz[]) AS booked(id, tat) WHERE channel.id = booked.id`;

const START_SENDING = `
UPDATE ${Tables.message} SET status = 'sending', lease_expires_at = $2, attempts = attempts + 1, updated_at = $3,
       unconfirmed_since = COALESCE(unconfirmed_since, $3)
 WHERE id = ANY($1::uuid[])`;

const DEFER = `
UPDATE ${Tables.message} AS message SET due_at = deferred.due_at
  FROM unnest($1::uuid[], $2::timestamptz[]) AS deferred(id, due_at) WHERE message.id = deferred.id`;

/**
 * Writes a batch of outcomes and their events in one statement. An outcome applies only to the claim it
 * came from (same attempts) while the message is still queued or sending: a delivery report that came
 * first, or another replica that took over after the lease, is never overwritten. Events are written
 * only for the outcomes that applied.
 */
const RECORD_OUTCOMES = `
WITH outcome AS (
  SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $13::boolean[])
    AS outcome(id, attempts, status, provider_message_id, error_code, error_message, due_at, unconfirmed)
),
applied AS (
  UPDATE ${Tables.message} AS message SET
    status = outcome.status,
    provider_message_id = COALESCE(outcome.provider_message_id, message.provider_message_id),
    error_code = outcome.error_code,
    error_message = outcome.error_message,
    due_at = outcome.due_at,
    lease_expires_at = NULL,
    unconfirmed_since = CASE WHEN outcome.unconfirmed THEN message.unconfirmed_since END,
    sent_at = CASE WHEN outcome.status = 'sent' THEN $8::timestamptz ELSE message.sent_at END,
    failed_at = CASE WHEN outcome.status = 'failed' THEN $8::timestamptz ELSE message.failed_at END,
    updated_at = $8
  FROM outcome
  WHERE message.id = outcome.id AND message.attempts = outcome.attempts AND message.status IN ('queued', 'sending')
  RETURNING message.id
),
events AS (
  INSERT INTO ${Tables.outbox} (id, topic, key, envelope)
  SELECT event.id, event.topic, event.key, envelope.value
    FROM unnest($9::uuid[], $10::text[], $11::text[]) WITH ORDINALITY AS event(id, topic, key, position)
    JOIN json_array_elements($12::json) WITH ORDINALITY AS envelope(value, position) USING (position)
    JOIN applied ON applied.id = event.key::uuid
   ORDER BY position
)
SELECT count(*)::int AS applied FROM applied`;

const RECORDED_PROVIDER_IDS = `
SELECT provider_message_id AS id FROM ${Tables.message} WHERE channel_id = $1 AND provider_message_id = ANY($2::text[])`;

const SENDER_BACKOFF = `UPDATE ${Tables.channel} SET rate_tat = GREATEST(rate_tat, $2) WHERE id = $1`;

/** The sender's statements on outbound_message and outbound_channel (plain SQL: this is the hot path). */
@Injectable()
export class SendingRepository {
  constructor(private readonly database: PrismaService) {}

  /** Messages whose sender died mid-send (lease over) are queued again, due now. */
  async recoverExpiredLeases(now: Date): Promise<number> {
    return this.database.sql.$executeRawUnsafe(RECOVER_EXPIRED_LEASES, now);
  }

  /**
   * One claim round in one transaction: due messages (each claimed by one replica only), their channels
   * locked, `book` decides which may leave now; those become `sending` under a lease, the rest wait.
   */
  async claim<R extends { granted: ClaimedMessage[]; deferred: { id: string; dueAt: Date }[]; tats: { id: string; tat: Date }[] }>(
    now: Date,
    limit: number,
    leaseExpiresAt: Date,
    book: (messages: ClaimedMessage[], channels: ChannelRow[]) => R,
  ): Promise<R | undefined> {
    const client = await this.database.pool.connect();
    try {
      return await inPgTransaction(client, async () => {
        const sql: PlainSql = pgSqlExecutor(client);
        const messages = await sql.queryPrepared<ClaimedMessage>('outbound_messaging.claim_due', CLAIM_DUE, [now, limit]);
        if (messages.length === 0) return undefined;
        const channelIds = [...new Set(messages.map((message) => message.channelId))];
        const channels = await sql.queryPrepared<ChannelRow>('outbound_messaging.lock_channels', LOCK_CHANNELS, [channelIds]);
        const plan = book(messages, channels);
        if (plan.tats.length > 0) await sql.queryPrepared('outbound_messaging.set_rate_tats', SET_RATE_TATS, [plan.tats.map((t) => t.id), plan.tats.map((t) => t.tat)]);
        if (plan.granted.length > 0) await sql.queryPrepared('outbound_messaging.start_sending', START_SENDING, [plan.granted.map((m) => m.id), leaseExpiresAt, now]);
        if (plan.deferred.length > 0) await sql.queryPrepared('outbound_messaging.defer', DEFER, [plan.deferred.map((d) => d.id), plan.deferred.map((d) => d.dueAt)]);
        for (const message of plan.granted) {
          message.attempts += 1;
          message.firstAttemptAt = message.unconfirmedSince ?? now;
        }
        return plan;
      });
    } finally {
      client.release();
    }
  }

  /** Records outcomes with their events; answers how many applied. */
  async recordOutcomes(outcomes: SendOutcome[], events: NewOutboxRow[], now: Date): Promise<number> {
    const column = <T>(pick: (outcome: SendOutcome) => T) => outcomes.map(pick);
    const [row] = await this.database.sql.queryPrepared<{ applied: number }>('outbound_messaging.record_outcomes', RECORD_OUTCOMES, [
      column((o) => o.message.id),
      column((o) => o.message.attempts),
      column((o) => o.status),
      column((o) => o.providerMessageId ?? null),
      column((o) => o.errorCode ?? null),
      column((o) => o.errorMessage ?? null),
      column((o) => o.dueAt ?? null),
      now,
      events.map((event) => event.id),
      events.map((event) => event.topic),
      events.map((event) => event.key),
      outboxEnvelopes(events),
      column((o) => o.unconfirmed ?? false),
    ]);
    return row?.applied ?? 0;
  }

  /** Which of these provider message ids a message of the channel already has (they are not another message's earlier attempt). */
  async recordedProviderIds(channelId: string, providerMessageIds: string[]): Promise<Set<string>> {
    const rows = await this.database.sql.queryPrepared<{ id: string }>('outbound_messaging.recorded_provider_ids', RECORDED_PROVIDER_IDS, [channelId, providerMessageIds]);
    return new Set(rows.map((row) => row.id));
  }

  /** A provider 429: the sender books nothing before `until`, on any replica. */
  async holdSender(channelId: string, until: Date): Promise<void> {
    await this.database.sql.$executeRawUnsafe(SENDER_BACKOFF, channelId, until);
  }
}
