import { Injectable } from '@nestjs/common';
import type { DeliveryStatus } from '@switchboard/contracts';
import { type NewOutboxRow, outboxColumns } from '@switchboard/messaging';
import { CoalescedWrites } from '@switchboard/persistence';
import { PrismaService, type ProactiveDeliveryTx } from '../database/prisma.service';
import { Tables } from '../database/tables';
import type { Delivery, DeliveryAttempt } from '../generated/prisma/client';
import { OPEN_STATUSES } from './delivery-status';

export interface NewDelivery {
  id: string;
  tenantId: string;
  configurationId: string;
  phoneNumber: string;
  phoneRegion: string | null;
  contactId: string;
  windows: unknown;
  permittedIntervals: unknown;
  inputAttributes: Record<string, string>;
  nextAttemptAt: Date;
  idempotencyKey: string | null;
  requestHash: string;
  createdAt: Date;
}

/**
 * What a repeat of this request is recognised by (PD1.5): its Idempotency-Key for good, or without
 * one its fingerprint for `periodSeconds` after the delivery it created.
 */
export type RequestKey = { kind: 'idempotency_key'; key: string } | { kind: 'request_fingerprint'; key: string; periodSeconds: number };

export type CreateOutcome =
  | { kind: 'created' }
  | { kind: 'repeated'; deliveryId: string }
  /** The Idempotency-Key answers a different request. */
  | { kind: 'keyReused' }
  | { kind: 'numberListed' };

export interface ListDeliveriesQuery {
  contactId?: string;
  status?: DeliveryStatus;
  limit: number;
  cursor?: string;
}

/**
 * The create API's statement (PD1, PD3.1, PD1.5, PD4.6) for one or more requests: per request the do-not-call
 * check, the request key claim, the delivery and its outbox rows. Concurrent twins meet on delivery_request_key's
 * primary key: the first inserts; the others wait for it, then update the row it committed (ON CONFLICT DO UPDATE
 * sees the latest version, which a plain lookup in the same statement would not) and get its delivery id back.
 * The update keeps the earlier claim unless its period ($16, the same for every request of one statement) is
 * over. A delivery and its events are inserted only when the claim names that request's own delivery id. The
 * requests of one statement have distinct keys (an ON CONFLICT DO UPDATE cannot touch one row twice) and claim
 * them in key order, so two statements never wait for each other's keys crosswise.
 */
const CREATE_MANY = `
WITH request AS (
  SELECT * FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::jsonb[],
                       $9::jsonb[], $10::timestamptz[], $11::text[], $12::text[], $13::timestamptz[], $14::text[], $15::text[])
    WITH ORDINALITY AS request(tenant_id, id, configuration_id, phone_number, phone_region, contact_id, windows, permitted_intervals,
                               input_attributes, next_attempt_at, idempotency_key, request_hash, created_at, kind, key, position)
),
listed AS (
  SELECT request.*, EXISTS (
    SELECT 1 FROM ${Tables.doNotCallEntry} entry
     WHERE entry.tenant_id = request.tenant_id AND entry.phone_number = request.phone_number
       AND (entry.expires_at IS NULL OR entry.expires_at > request.created_at)
  ) AS listed
  FROM request
),
claim AS (
  INSERT INTO ${Tables.deliveryRequestKey} AS claimed (tenant_id, kind, key, request_hash, delivery_id, claimed_at)
  SELECT tenant_id, kind, key, request_hash, id, created_at FROM listed WHERE NOT listed.listed ORDER BY tenant_id, kind, key
  ON CONFLICT (tenant_id, kind, key) DO UPDATE SET
    delivery_id  = CASE WHEN claimed.claimed_at <= EXCLUDED.claimed_at - make_interval(secs => $16) THEN EXCLUDED.delivery_id ELSE claimed.delivery_id END,
    request_hash = CASE WHEN claimed.claimed_at <= EXCLUDED.claimed_at - make_interval(secs => $16) THEN EXCLUDED.request_hash ELSE claimed.request_hash END,
    claimed_at   = CASE WHEN claimed.claimed_at <= EXCLUDED.claimed_at - make_interval(secs => $16) THEN EXCLUDED.claimed_at ELSE claimed.claimed_at END
  RETURNING claimed.tenant_id, claimed.kind, claimed.key, claimed.delivery_id, claimed.request_hash
),
answer AS (
  SELECT listed.*, claim.delivery_id AS claimed_delivery_id, claim.request_hash AS claimed_request_hash
    FROM listed LEFT JOIN claim ON claim.tenant_id = listed.tenant_id AND claim.kind = listed.kind AND claim.key = listed.key
),
delivery AS (
  INSERT INTO ${Tables.delivery}
    (id, tenant_id, configuration_id, phone_number, phone_region, contact_id, windows, permitted_intervals,
     input_attributes, status, attempts, next_attempt_at, idempotency_key, request_hash, created_at, updated_at)
  SELECT id, tenant_id, configuration_id, phone_number, phone_region, contact_id, windows, permitted_intervals,
         input_attributes, 'Scheduled', 0, next_attempt_at, idempotency_key, request_hash, created_at, created_at
    FROM answer WHERE answer.claimed_delivery_id = answer.id
   ORDER BY answer.position
  RETURNING id
),
events AS (
  INSERT INTO ${Tables.outbox} (id, topic, key, envelope)
  SELECT event.id, event.topic, event.key, event.envelope
    FROM unnest($17::uuid[], $18::text[], $19::text[], $20::json[], $21::uuid[]) WITH ORDINALITY AS event(id, topic, key, envelope, delivery_id, position)
    JOIN delivery ON delivery.id = event.delivery_id
   ORDER BY event.position
)
SELECT listed, claimed_delivery_id::text AS delivery_id, claimed_request_hash AS request_hash FROM answer ORDER BY position`;

interface CreateOnceRow {
  listed: boolean;
  delivery_id: string | null;
  request_hash: string | null;
}

interface CreateWrite {
  delivery: NewDelivery;
  requestKey: RequestKey;
  events: NewOutboxRow[];
}

// Create statements at once (of the pool's 10 connections); requests arriving meanwhile share the next one.
const CREATES_IN_FLIGHT = 4;
const REQUESTS_PER_CREATE = 32;

/** Deliveries and their attempts: every query of the deliveries feature. */
@Injectable()
export class DeliveriesRepository {
  private readonly creates = new CoalescedWrites<CreateWrite, CreateOutcome>((writes) => this.createTogether(writes), {
    maxInFlight: CREATES_IN_FLIGHT,
    maxBatch: REQUESTS_PER_CREATE,
    groups: statementRounds,
  });

  constructor(private readonly database: PrismaService) {}

  /**
   * Creates the delivery with its events, unless the number is listed or the request is a repeat. Plain SQL on
   * the pool (the benchmark measured ~1.4 ms CPU per request for Prisma's raw-query layer); concurrent requests
   * share a statement (CoalescedWrites: one round trip, plan and commit for many, npm run bench).
   */
  createOnce(delivery: NewDelivery, requestKey: RequestKey, events: NewOutboxRow[]): Promise<CreateOutcome> {
    return this.creates.write({ delivery, requestKey, events });
  }

  /** One statement for requests that can share one (see statementRounds). */
  private async createTogether(writes: CreateWrite[]): Promise<CreateOutcome[]> {
    const rows = await this.database.sql.queryPrepared<CreateOnceRow>('proactive_delivery.create_many', CREATE_MANY, createParameters(writes));
    return writes.map((write, i) => outcomeOf(write.delivery, rows[i]));
  }

  findWithAttempts(tenantId: string, id: string): Promise<(Delivery & { attemptsLog: DeliveryAttempt[] }) | null> {
    return this.database.delivery.findFirst({ where: { tenantId, id }, include: { attemptsLog: { orderBy: { attemptNumber: 'asc' } } } });
  }

  find(tenantId: string, id: string, db: ProactiveDeliveryTx = this.database): Promise<Delivery | null> {
    return db.delivery.findFirst({ where: { tenantId, id } });
  }

  /** One page in id order: `limit` rows, and whether more follow. */
  async list(tenantId: string, query: ListDeliveriesQuery): Promise<{ rows: Delivery[]; more: boolean }> {
    const rows = await this.database.delivery.findMany({
      where: { tenantId, ...(query.contactId && { contactId: query.contactId }), ...(query.status && { status: query.status }), ...(query.cursor && { id: { gt: query.cursor } }) },
      orderBy: { id: 'asc' },
      take: query.limit + 1,
    });
    return { rows: rows.slice(0, query.limit), more: rows.length > query.limit };
  }

  /** Cancels the delivery if it is still open; false when it finished meanwhile. */
  async cancelIfOpen(id: string, reason: string, at: Date, db: ProactiveDeliveryTx): Promise<boolean> {
    const { count } = await db.delivery.updateMany({
      where: { id, status: { in: [...OPEN_STATUSES] } },
      data: { status: 'Cancelled', closeReason: reason, closedAt: at, nextAttemptAt: null, leaseOwner: null, leaseExpiresAt: null },
    });
    return count > 0;
  }
}

/**
 * The writes split into statements: within one, request keys are distinct and the repeat period is the same.
 * Usually one round; a twin of an earlier write goes into a later round, and so waits for its claim. Each
 * write is a distinct object (CoalescedWrites tells them apart by identity).
 */
export function statementRounds<W extends { delivery: Pick<NewDelivery, 'tenantId'>; requestKey: RequestKey }>(writes: readonly W[]): W[][] {
  const rounds: { period: number | null; keys: Set<string>; writes: W[] }[] = [];
  for (const write of writes) {
    const period = periodOf(write.requestKey);
    const key = JSON.stringify([write.delivery.tenantId, write.requestKey.kind, write.requestKey.key]);
    let round = rounds.find((candidate) => candidate.period === period && !candidate.keys.has(key));
    if (!round) rounds.push((round = { period, keys: new Set(), writes: [] }));
    round.keys.add(key);
    round.writes.push(write);
  }
  return rounds.map((round) => round.writes);
}

function periodOf(requestKey: RequestKey): number | null {
  return requestKey.kind === 'request_fingerprint' ? requestKey.periodSeconds : null;
}

function outcomeOf(delivery: NewDelivery, row: CreateOnceRow | undefined): CreateOutcome {
  if (row?.listed) return { kind: 'numberListed' };
  if (!row?.delivery_id) throw new Error(`Creating delivery ${delivery.id}: the statement claimed no request key`);
  if (row.delivery_id === delivery.id) return { kind: 'created' };
  if (row.request_hash !== delivery.requestHash) return { kind: 'keyReused' };
  return { kind: 'repeated', deliveryId: row.delivery_id };
}

/** The parameters of CREATE_MANY: one array per column, the round's period, the events with their delivery's id. */
function createParameters(round: CreateWrite[]): unknown[] {
  const deliveries = round.map((write) => write.delivery);
  const column = <T>(value: (d: NewDelivery) => T) => deliveries.map(value);
  const events = round.flatMap((write) => write.events.map((event) => ({ event, deliveryId: write.delivery.id })));
  return [
    column((d) => d.tenantId),
    column((d) => d.id),
    column((d) => d.configurationId),
    column((d) => d.phoneNumber),
    column((d) => d.phoneRegion),
    column((d) => d.contactId),
    column((d) => JSON.stringify(d.windows)),
    column((d) => JSON.stringify(d.permittedIntervals)),
    column((d) => JSON.stringify(d.inputAttributes)),
    column((d) => d.nextAttemptAt),
    column((d) => d.idempotencyKey),
    column((d) => d.requestHash),
    column((d) => d.createdAt),
    round.map((write) => write.requestKey.kind),
    round.map((write) => write.requestKey.key),
    periodOf((round[0] as CreateWrite).requestKey),
    ...outboxColumns(events.map(({ event }) => event)),
    events.map(({ deliveryId }) => deliveryId),
  ];
}
