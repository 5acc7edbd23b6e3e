import { UnprocessableEntityException } from '@nestjs/common';
import { SqlExecutor } from '@switchboard/persistence';

/**
 * The create API's transaction as plain SQL on the service's pool: it is the hottest path of the
 * service, and Prisma's query layer cost about four times the CPU of these statements (see the
 * benchmark notes in the README). Reads and every other write stay on Prisma.
 */
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

export async function insertDelivery(sql: SqlExecutor, d: NewDelivery): Promise<void> {
  await sql.$executeRawUnsafe(
    `INSERT INTO proactive_delivery
       (id, tenant_id, configuration_id, phone_number, phone_region, contact_id, windows, permitted_intervals,
        input_attributes, status, attempts, next_attempt_at, idempotency_key, request_hash, created_at, updated_at)
     VALUES ($1::uuid, $2, $3::uuid, $4, $5, $6, $7::jsonb, $8::jsonb, $9::jsonb, 'Scheduled', 0, $10, $11, $12, $13, $13)`,
    d.id,
    d.tenantId,
    d.configurationId,
    d.phoneNumber,
    d.phoneRegion,
    d.contactId,
    JSON.stringify(d.windows),
    JSON.stringify(d.permittedIntervals),
    JSON.stringify(d.inputAttributes),
    d.nextAttemptAt,
    d.idempotencyKey,
    d.requestHash,
    d.createdAt,
  );
}

/** Serialises concurrent twins so exactly one of them creates the delivery. */
async function lockTwins(sql: SqlExecutor, key: string): Promise<void> {
  await sql.$queryRawUnsafe('SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext($1))', key);
}

/**
 * The earlier delivery of a repeated request (PD1.5): same Idempotency-Key, or the same request within
 * the period. Lock and lookup are two statements on purpose: a statement's snapshot predates a lock
 * it waits for inside itself, so a twin committed meanwhile would be missed.
 */
export async function findEarlierDelivery(
  sql: SqlExecutor,
  request: { tenantId: string; fingerprint: string; idempotencyKey?: string; periodSeconds: number; now: Date },
): Promise<string | undefined> {
  const { tenantId, fingerprint, idempotencyKey, periodSeconds, now } = request;
  if (idempotencyKey) {
    await lockTwins(sql, `${tenantId}:${idempotencyKey}`);
    const [keyed] = await sql.$queryRawUnsafe<{ id: string; request_hash: string }[]>(
      'SELECT id::text AS id, request_hash FROM proactive_delivery WHERE tenant_id = $1 AND idempotency_key = $2',
      tenantId,
      idempotencyKey,
    );
    if (!keyed) return undefined;
    if (keyed.request_hash !== fingerprint) {
      throw new UnprocessableEntityException({ code: 'IdempotencyKeyReused', message: 'Idempotency-Key was already used for a different request' });
    }
    return keyed.id;
  }
  if (periodSeconds === 0) return undefined;
  await lockTwins(sql, `${tenantId}:${fingerprint}`);
  const [twin] = await sql.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id::text AS id FROM proactive_delivery
      WHERE tenant_id = $1 AND request_hash = $2 AND created_at >= $3
      ORDER BY created_at DESC LIMIT 1`,
    tenantId,
    fingerprint,
    new Date(now.getTime() - periodSeconds * 1_000),
  );
  return twin?.id;
}
