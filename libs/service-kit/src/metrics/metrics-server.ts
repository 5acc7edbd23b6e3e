import { createServer, type Server } from 'node:http';
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

  get enabled(): boolean {
    return this.config.METRICS_PORT !== undefined;
  }

  /** Starts listening when METRICS_PORT is set; resolves with the port (undefined when not set). */
  async start(): Promise<number | undefined> {
    const port = this.config.METRICS_PORT;
    if (port === undefined) return undefined;
    const server = createServer((req, res) => void answer(req.method, req.url, res));
    this.server = server;
    const host = this.config.METRICS_HOST ?? this.config.HOST;
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
    const actual = (server.address() as AddressInfo).port;
    this.logger.log(`metrics on http://${host}:${actual}/metrics`);
    return actual;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server?.listening) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function answer(method: string | undefined, url: string | undefined, res: import('node:http').ServerResponse): Promise<void> {
  const path = url?.split('?')[0];
  if ((method === 'GET' || method === 'HEAD') && path === '/metrics') {
    const text = await register.metrics();
    res.writeHead(200, { 'content-type': register.contentType, 'cache-control': 'no-store' }).end(method === 'HEAD' ? undefined : text);
    return;
  }
  const body = JSON.stringify({ error: { code: 'NotFound', message: 'Only GET /metrics is served on this port' } });
  res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' }).end(body);
}
