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
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { BASELINE_APPLICATION_NAME } from './cpu-usage';
import { CREATE_DELIVERY_PATH, CREATE_DELIVERY_RESPONSE_TYPE } from './create-request';

const BODY_LIMIT_BYTES = 256 * 1024;
const DEFAULT_WINDOW_MS = 24 * 3_600_000;
const TABLE_NAME = /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/;

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`baseline-server: ${name} is required`);
  return value;
}

const table = requiredEnv('BASELINE_TABLE');
if (!TABLE_NAME.test(table)) throw new Error(`baseline-server: BASELINE_TABLE must be schema.table, got ${table}`);
const tenantId = requiredEnv('BASELINE_TENANT_ID');
const pool = new pg.Pool({
  connectionString: requiredEnv('BASELINE_DATABASE_URL'),
  max: Number(process.env['BASELINE_POOL_SIZE'] ?? 10),
  // Lets the bench tell this pool's Postgres backends from the service's when it measures their CPU time.
  application_name: BASELINE_APPLICATION_NAME,
});

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

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT_BYTES) reject(new Error('body too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
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

const server = createServer((request, response) => {
  if (request.method === 'POST' && request.url === CREATE_DELIVERY_PATH) {
    createDelivery(request, response).catch((error: Error) => send(response, 500, { error: { code: 'InternalError', message: error.message } }));
  } else if (request.method === 'GET' && request.url === '/health/live') {
    send(response, 200, { status: 'ok' });
  } else {
    send(response, 404, { error: { code: 'NotFound', message: `${request.method} ${request.url}` } });
  }
});

server.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ listening: (server.address() as AddressInfo).port })}\n`);
});

function shutdown(): void {
  server.close();
  server.closeAllConnections();
  void pool.end().finally(() => process.exit(0));
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
