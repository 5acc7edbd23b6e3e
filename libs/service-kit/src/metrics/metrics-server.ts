import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { register } from 'prom-client';
import { ServiceConfig } from '../config/service-config';

/**
 * `/metrics` on its own port (METRICS_PORT), so the scrape endpoint can stay off the public one. A
 * bare node:http server: it answers GET /metrics and 404 to anything else, in the one error shape.
 */
@Injectable()
export class MetricsServer implements OnApplicationShutdown {
  private readonly logger = new Logger(MetricsServer.name);
  private server?: Server;

  constructor(private readonly config: ServiceConfig) {}

  /** The port /metrics is served on, once started; undefined when METRICS_PORT is not set. */
  get port(): number | undefined {
    return this.server?.listening ? (this.server.address() as AddressInfo).port : undefined;
  }

  /** Starts listening when METRICS_PORT is set; resolves with the port (undefined when not set). */
  async start(): Promise<number | undefined> {
    const port = this.config.METRICS_PORT;
    if (port === undefined) return undefined;
    const server = createServer((req, res) => void answer(req.method, req.url, res));
    this.server = server;
    const host = this.config.METRICS_HOST ?? this.config.HOST;
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
    this.logger.log(`metrics on http://${host}:${this.port}/metrics`);
    return this.port;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server?.listening) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function answer(method: string | undefined, url: string | undefined, res: ServerResponse): Promise<void> {
  if ((method !== 'GET' && method !== 'HEAD') || url?.split('?')[0] !== '/metrics') {
    return sendError(res, 404, 'NotFound', 'Only GET /metrics is served on this port');
  }
  try {
    const text = await register.metrics();
    res.writeHead(200, { 'content-type': register.contentType, 'cache-control': 'no-store' }).end(method === 'HEAD' ? undefined : text);
  } catch {
    sendError(res, 500, 'InternalServerError', 'The metrics could not be collected.');
  }
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ error: { code, message } }));
}
