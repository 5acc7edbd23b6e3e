/**
 * The benchmark's baseline: a bare node:http server that does what the create API must at the least — parse
 * the JSON body and insert one row into a table shaped like proactive_delivery — with `pg` and the same pool
 * size as the service, answering the same response shape. Runs as its own process (its own event loop, like
 * the service), started by baseline-process.ts:
 *
 *   BASELINE_DATABASE_URL=... BASELINE_TABLE=bench_baseline.proactive_delivery BASELINE_TENANT_ID=... \
 *   BASELINE_POOL_SIZE=10 node --import tsx tools/bench/baseline-server.ts
 *
 * Prints one JSON line `{"listening":<port>}` on stdout when ready.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { baselinePool, baselineTable, readBody, requiredEnv, sendJson as send, serveBaseline } from './bare-http';
import { CREATE_DELIVERY_PATH, CREATE_DELIVERY_RESPONSE_TYPE } from './create-request';

const DEFAULT_WINDOW_MS = 24 * 3_600_000;

const table = baselineTable();
const tenantId = requiredEnv('BASELINE_TENANT_ID');
const pool = baselinePool();

const INSERT = `INSERT INTO ${table} (id, tenant_id, configuration_id, phone_number, contact_id, windows, permitted_intervals,
  input_attributes, status, next_attempt_at, request_hash, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $6, $7, 'Scheduled', $8, $9, $10, $10)`;

interface CreateBody {
  ProactiveEngagementConfigId?: unknown;
  DestinationPhoneNumber?: unknown;
  ContactId?: unknown;
  Windows?: { Start?: unknown; End?: unknown }[] | null;
  InputAttributes?: Record<string, unknown> | null;
}

async function createDelivery(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const raw = await readBody(request);
  let body: CreateBody;
  try {
    body = JSON.parse(raw.toString('utf8')) as CreateBody;
  } catch {
    return send(response, 400, { error: { code: 'InvalidJson', message: 'The request body is not valid JSON' } });
  }
  if (typeof body !== 'object' || body === null || typeof body.ProactiveEngagementConfigId !== 'string' || typeof body.ContactId !== 'string') {
    return send(response, 400, { error: { code: 'ValidationFailed', message: 'ProactiveEngagementConfigId and ContactId are required' } });
  }
  const now = new Date();
  const windows = body.Windows ?? [{ Start: now.toISOString(), End: new Date(now.getTime() + DEFAULT_WINDOW_MS).toISOString() }];
  const id = randomUUID();
  await pool.query(INSERT, [
    id,
    tenantId,
    body.ProactiveEngagementConfigId,
    String(body.DestinationPhoneNumber),
    body.ContactId,
    JSON.stringify(windows),
    JSON.stringify(body.InputAttributes ?? {}),
    new Date(String(windows[0]?.Start)),
    createHash('sha256').update(raw).digest('hex'),
    now,
  ]);
  send(response, 200, { '@odata.context': `http://${request.headers.host}/api/data/v9.2/$metadata#${CREATE_DELIVERY_RESPONSE_TYPE}`, DeliveryId: id });
}

serveBaseline(pool, CREATE_DELIVERY_PATH, createDelivery);
