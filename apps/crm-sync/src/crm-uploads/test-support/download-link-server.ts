import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * storage-export's side of SE1.4 for crm-sync's tests: files served at unguessable links (a plain GET, the
 * URL is the capability), as its download controller does. `corrupt` serves other bytes for a while.
 */
export class DownloadLinkServer {
  private readonly files = new Map<string, Buffer>();
  readonly gets: string[] = [];
  /** Links that answer with other bytes, this many more times. */
  readonly corrupt = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(host: string): Promise<DownloadLinkServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    const { port } = server.address() as AddressInfo;
    const links = new DownloadLinkServer(server, `http://${host}:${port}`);
    server.on('request', (request, response) => {
      const path = new URL(request.url ?? '/', links.url).pathname;
      links.gets.push(path);
      const bytes = links.files.get(path);
      if (!bytes || request.method !== 'GET') return void response.writeHead(404).end();
      const corrupt = links.corrupt.get(path) ?? 0;
      if (corrupt > 0) links.corrupt.set(path, corrupt - 1);
      response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(corrupt > 0 ? Buffer.from(bytes.toString('hex').slice(0, bytes.length)) : bytes);
    });
    return links;
  }

  /** Serves the bytes at a fresh link; returns the link with the file's size and SHA-256. */
  serve(bytes: Buffer): { url: string; path: string; size: number; sha256: string } {
    const path = `/api/storage/downloads/${randomUUID()}`;
    this.files.set(path, bytes);
    return { url: `${this.url}${path}`, path, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
