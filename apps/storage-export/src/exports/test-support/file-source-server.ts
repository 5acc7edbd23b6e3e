import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

/** How the next requests for a file are answered. */
export type SourceFault = { status: number; retryAfter?: number } | { cutAfterBytes: number } | { stallAfterBytes: number };

/**
 * The contact-center platform's file server in tests: serves recordings, transcripts and media by
 * path, can fail a number of requests (a status, a cut connection, a stall mid-body) and counts them.
 */
export class FileSourceServer {
  private readonly files = new Map<string, { bytes: Buffer; contentType: string }>();
  private readonly generated = new Map<string, number>();
  private readonly faults = new Map<string, SourceFault[]>();
  private readonly stalled = new Set<() => void>();
  readonly requests: string[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FileSourceServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const self = new FileSourceServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (request, response) => self.answer(request.url ?? '/', response));
    return self;
  }

  /** Serves `bytes` at `path`; returns its URL. */
  put(path: string, bytes: Buffer, contentType = 'application/octet-stream'): string {
    this.files.set(path, { bytes, contentType });
    return `${this.url}${path}`;
  }

  /**
   * Serves `size` bytes at `path` made on the fly (the same bytes every time, see generatedBytes):
   * files far larger than the test process could hold.
   */
  putGenerated(path: string, size: number): string {
    this.generated.set(path, size);
    return `${this.url}${path}`;
  }

  /** The next requests for `path` get these faults, one each, in order. */
  fail(path: string, ...faults: SourceFault[]): void {
    this.faults.set(path, [...(this.faults.get(path) ?? []), ...faults]);
  }

  countOf(path: string): number {
    return this.requests.filter((request) => request === path).length;
  }

  /** Cuts every stalled answer (its reader sees the connection end early). */
  releaseStalled(): void {
    for (const release of this.stalled) release();
    this.stalled.clear();
  }

  async stop(): Promise<void> {
    this.releaseStalled();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(path: string, response: import('node:http').ServerResponse): void {
    this.requests.push(path);
    const generatedSize = this.generated.get(path);
    if (generatedSize !== undefined) {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(generatedSize) });
      return void Readable.from(generatedBytes(generatedSize)).pipe(response);
    }
    const file = this.files.get(path);
    const fault = this.faults.get(path)?.shift();
    if (!file) return void response.writeHead(404).end();
    if (fault && 'status' in fault) {
      return void response.writeHead(fault.status, fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) }).end();
    }
    response.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.bytes.length) });
    if (!fault) return void response.end(file.bytes);
    if ('cutAfterBytes' in fault) {
      response.write(file.bytes.subarray(0, fault.cutAfterBytes), () => response.socket?.destroy());
      return;
    }
    response.write(file.bytes.subarray(0, fault.stallAfterBytes));
    const release = () => response.socket?.destroy();
    this.stalled.add(release);
  }
}

const BLOCK = 1024 * 1024;

/** `size` bytes in 1 MiB blocks, each block its own index repeated: cheap to make, never all in memory. */
export function* generatedBytes(size: number): Generator<Buffer> {
  for (let offset = 0, index = 0; offset < size; offset += BLOCK, index++) {
    const block = Buffer.alloc(Math.min(BLOCK, size - offset), `${index}:`);
    yield block;
  }
}
