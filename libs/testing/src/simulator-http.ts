import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Helpers the local HTTP simulators (Dataverse, reference CRM) share. */

/** A request a simulator received, as tests read it back. */
export interface SimulatorRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** The status it was answered with. */
  status: number;
}

/** Compares a presented secret with the expected one in constant time. */
export function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The whole request body. */
export function readBodyBytes(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

export async function readBody(request: IncomingMessage): Promise<string> {
  return (await readBodyBytes(request)).toString('utf8');
}

/** A local HTTP simulator: one server, its root URL, closed at once with its kept-alive connections. */
export abstract class HttpSimulator {
  private server: Server | undefined;
  private baseUrl = '';
  private readonly arrivalListeners: Array<(request: IncomingMessage) => void> = [];

  /** The server's root URL. */
  get url(): string {
    return this.baseUrl;
  }

  protected abstract handle(request: IncomingMessage, response: ServerResponse): Promise<void>;

  /**
   * Calls `listener` as each request arrives, before it is handled: a crash test can kill the caller right then,
   * with its request on the wire, so that the simulator acts on it and the answer reaches nobody.
   */
  onRequest(listener: (request: IncomingMessage) => void): void {
    this.arrivalListeners.push(listener);
  }

  /** Listens on host:port (port 0: a free one). */
  protected async listen(host = '127.0.0.1', port = 0): Promise<void> {
    const server = createServer();
    server.keepAliveTimeout = 60_000;
    server.on('request', (request, response) => {
      for (const listener of this.arrivalListeners) listener(request);
      void this.handle(request, response);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    const { address, port: bound } = server.address() as AddressInfo;
    this.server = server;
    this.baseUrl = `http://${address.includes(':') ? `[${address}]` : address}:${bound}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
