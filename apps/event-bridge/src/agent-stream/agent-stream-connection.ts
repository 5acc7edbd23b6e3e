import type { FastifyReply } from 'fastify';
import { HEARTBEAT_FRAME, openingFrame } from './server-sent-events';

/** An entry framed for the wire, with its id (the `seq`) to keep each page's stream in order and free of repeats. */
export interface StreamFrame {
  seq: bigint;
  frame: string;
}

export type StreamCloseReason = 'client' | 'shutdown' | 'slow client';

const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  // no-transform and X-Accel-Buffering: proxies (nginx among them) must pass each frame on as it comes.
  'cache-control': 'no-store, no-transform',
  'x-accel-buffering': 'no',
};

/**
 * One agent page's open stream. It is registered for live entries before its replay is read, and holds what
 * arrives meanwhile until the replay is sent; from then on it sends each entry whose id is above the last one
 * sent, so the switch from replay to live has no gap and no repeat. A client that stops reading is cut off
 * once `maxBufferedBytes` wait for it; it reconnects with Last-Event-ID and misses nothing.
 */
export class AgentStreamConnection {
  readonly key: string;
  private lastSent = 0n;
  private held: StreamFrame[] | undefined = [];
  private closed = false;
  private closeReason: StreamCloseReason = 'client';

  constructor(
    readonly tenantId: string,
    readonly agentId: string,
    private readonly reply: FastifyReply,
    private readonly maxBufferedBytes: number,
    onClose: (connection: AgentStreamConnection, reason: StreamCloseReason) => void,
  ) {
    this.key = agentKey(tenantId, agentId);
    reply.raw.once('close', () => {
      this.closed = true;
      onClose(this, this.closeReason);
    });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** The id after which this page still needs entries; undefined until its replay went out. */
  get cursor(): bigint | undefined {
    return this.held ? undefined : this.lastSent;
  }

  /** Starts the response: headers, the replay after `position`, then whatever arrived while the replay was read. */
  start(position: bigint, replay: StreamFrame[]): void {
    if (this.closed) return;
    this.reply.hijack();
    // The platform's headers (security, request ids) were set on the reply; a hijacked reply sends them itself.
    const platformHeaders = Object.entries(this.reply.getHeaders()).filter((header): header is [string, string | number | string[]] => header[1] !== undefined);
    this.reply.raw.writeHead(200, { ...Object.fromEntries(platformHeaders), ...STREAM_HEADERS });
    this.reply.raw.write(openingFrame());
    this.lastSent = position;
    const held = this.held ?? [];
    this.held = undefined;
    for (const entry of [...replay, ...held]) this.send(entry);
  }

  deliver(entry: StreamFrame): void {
    if (this.closed) return;
    if (this.held) this.held.push(entry);
    else this.send(entry);
  }

  heartbeat(): void {
    if (!this.closed && !this.held) this.write(HEARTBEAT_FRAME);
  }

  /** Ends the stream; the page reconnects (to any replica) with the last id it got. */
  close(reason: StreamCloseReason): void {
    if (this.closed) return;
    // Nothing more is written from here on (a write after end() is an error event); the hub forgets this
    // stream when its socket reports 'close'.
    this.closed = true;
    this.closeReason = reason;
    if (reason === 'slow client' || !this.reply.raw.headersSent) this.reply.raw.destroy();
    else this.reply.raw.end();
  }

  private send(entry: StreamFrame): void {
    if (entry.seq <= this.lastSent) return;
    this.lastSent = entry.seq;
    this.write(entry.frame);
  }

  private write(text: string): void {
    this.reply.raw.write(text);
    if (this.reply.raw.writableLength > this.maxBufferedBytes) this.close('slow client');
  }
}

export function agentKey(tenantId: string, agentId: string): string {
  return `${tenantId}\n${agentId}`;
}
