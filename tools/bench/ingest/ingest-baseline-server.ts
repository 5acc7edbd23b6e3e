/**
 * The ingest benchmark's baseline: a bare node:http server doing what a signed single-event post needs at the
 * least: the same HMAC check as the service (same header format and window, verifySignature's timing-safe
 * compare) and one INSERT of the event into a copy of event-bridge's adapter_event table, with `pg` and the
 * service's pool size. No schema validation, no outbox, no framework. Started by baseline-process.ts:
 *
 *   BASELINE_DATABASE_URL=... BASELINE_TABLE=bench_baseline.adapter_event BASELINE_TENANT_ID=... \
 *   BASELINE_HMAC_SECRET=... BASELINE_POOL_SIZE=10 node --import tsx tools/bench/ingest/ingest-baseline-server.ts
 */
import { DEFAULT_SIGNATURE_TOLERANCE_SEC, SIGNATURE_HEADER, verifySignature } from '@switchboard/auth/hmac';
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { baselinePool, baselineTable, readBody, requiredEnv, sendJson, serveBaseline } from '../bare-http';
import { INGEST_PATH, TENANT_HEADER } from './ingest-request';

const table = baselineTable();
const tenantId = requiredEnv('BASELINE_TENANT_ID');
const secret = requiredEnv('BASELINE_HMAC_SECRET');
const pool = baselinePool();

// ON CONFLICT like the service's insert: the same unique-index check on (tenant_id, dedupe_key).
const INSERT = `INSERT INTO ${table} (id, tenant_id, dedupe_key, adapter_event_type, session_id, session_kind, agent_id, ingress,
  session_type, payload, received_at)
  VALUES ($1, $2, $3, $4, $5, 'call', $6, 'signed', $7, $8, $9)
  ON CONFLICT (tenant_id, dedupe_key) DO NOTHING`;

const unauthorized = (response: ServerResponse) => sendJson(response, 401, { error: { code: 'InvalidSignature', message: 'The signature does not match.' } });

async function ingest(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const raw = await readBody(request);
  if (request.headers[TENANT_HEADER.toLowerCase()] !== tenantId) return unauthorized(response);
  const check = verifySignature({ secret, rawBody: raw, header: request.headers[SIGNATURE_HEADER.toLowerCase()], toleranceSec: DEFAULT_SIGNATURE_TOLERANCE_SEC });
  if (!check.valid) return unauthorized(response);
  let event: { type?: unknown; data?: Record<string, unknown> };
  try {
    event = JSON.parse(raw.toString('utf8')) as typeof event;
  } catch {
    return sendJson(response, 400, { error: { code: 'BadRequest', message: 'The request body is not valid JSON' } });
  }
  const { type, data } = event;
  if (typeof type !== 'string' || typeof data !== 'object' || data === null || data['call_id'] === undefined) {
    return sendJson(response, 400, { error: { code: 'BadRequest', message: 'type and data.call_id are required' } });
  }
  const id = randomUUID();
  const { rowCount } = await pool.query(INSERT, [
    id,
    tenantId,
    createHash('sha256').update(raw).digest('hex'),
    type,
    String(data['call_id']),
    data['agent_id'] === undefined ? null : String(data['agent_id']),
    typeof data['session_type'] === 'string' ? data['session_type'] : null,
    JSON.stringify(data),
    new Date(),
  ]);
  sendJson(response, 202, rowCount === 1 ? { eventId: id, duplicate: false } : { duplicate: true });
}

serveBaseline(pool, INGEST_PATH, ingest);
