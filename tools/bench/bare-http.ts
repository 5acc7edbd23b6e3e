/**
 * What the benchmarks' bare baselines share: a plain node:http server and a `pg` pool configured from the
 * environment that baseline-process.ts sets, and the few helpers such a server needs. Each baseline is its
 * own process (its own event loop, like the service) and prints `{"listening":<port>}` when ready.
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { BASELINE_APPLICATION_NAME } from './cpu-usage';

const BODY_LIMIT_BYTES = 256 * 1024;
const TABLE_NAME = /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/;

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`baseline: ${name} is required`);
  return value;
}

/** BASELINE_TABLE, checked to be a plain schema.table before it goes into SQL text. */
export function baselineTable(): string {
  const table = requiredEnv('BASELINE_TABLE');
  if (!TABLE_NAME.test(table)) throw new Error(`baseline: BASELINE_TABLE must be schema.table, got ${table}`);
  return table;
}

/** The baseline's pool: BASELINE_DATABASE_URL, BASELINE_POOL_SIZE connections. */
export function baselinePool(): pg.Pool {
  return new pg.Pool({
    connectionString: requiredEnv('BASELINE_DATABASE_URL'),
    max: Number(process.env['BASELINE_POOL_SIZE'] ?? 10),
    // Lets the bench tell this pool's Postgres backends from the service's when it measures their CPU time.
    application_name: BASELINE_APPLICATION_NAME,
  });
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

export function readBody(request: IncomingMessage): Promise<Buffer> {
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

/**
 * Serves `POST <path>` with `handle` (a failure is a 500 with its message), `GET /health/live`, and 404 for
 * the rest, on PORT (default: any free port) at 127.0.0.1; announces the port on stdout, and on SIGTERM or
 * SIGINT closes the server and the pool, then exits.
 */
export function serveBaseline(pool: pg.Pool, path: string, handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>): void {
  const server = createServer((request, response) => {
    if (request.method === 'POST' && request.url === path) {
      handle(request, response).catch((error: Error) => sendJson(response, 500, { error: { code: 'InternalError', message: error.message } }));
    } else if (request.method === 'GET' && request.url === '/health/live') {
      sendJson(response, 200, { status: 'ok' });
    } else {
      sendJson(response, 404, { error: { code: 'NotFound', message: `${request.method} ${request.url}` } });
    }
  });
  server.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ listening: (server.address() as AddressInfo).port })}\n`);
  });
  const shutdown = () => {
    server.close();
    server.closeAllConnections();
    void pool.end().finally(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
