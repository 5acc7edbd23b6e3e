import http from 'node:http';
import { eventually } from './eventually';

/** One Server-Sent Event as a client sees it (WHATWG HTML, "Server-sent events": id, event, data). */
export interface ServerSentEvent {
  id?: string;
  /** `message` when the frame names no event type, as in a browser. */
  event: string;
  data: string;
}

export interface SseStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Every event received so far, in order. */
  readonly events: ServerSentEvent[];
  /** Every comment line received so far (without the leading colon): heartbeats. */
  readonly comments: string[];
  /** The body, for an answer other than a stream (an error's JSON). */
  body(): Promise<string>;
  /** Resolves once `count` events have arrived (or the stream ended first, which fails). */
  waitForEvents(count: number, what?: string): Promise<ServerSentEvent[]>;
  /** Resolves when the stream ends (either side closed it). */
  readonly ended: Promise<void>;
  isEnded(): boolean;
  close(): void;
}

export interface SseStreamOptions {
  headers?: Record<string, string>;
  /** Called for each event as it is parsed, before it is stored (a benchmark stamps its arrival here). */
  onEvent?: (event: ServerSentEvent) => void;
  agent?: http.Agent;
}

/**
 * Opens `url` as an event stream the way the agent page script does (a plain GET with Authorization and
 * Last-Event-ID headers, read incrementally) and resolves once the answer's headers arrive.
 */
export function openSseStream(url: string, options: SseStreamOptions = {}): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { accept: 'text/event-stream', ...options.headers }, agent: options.agent }, (response) => {
      const parser = new SseParser(options.onEvent);
      const chunks: Buffer[] = [];
      let finished = false;
      const ended = new Promise<void>((done) => response.once('close', () => ((finished = true), done())));
      const streaming = response.statusCode === 200 && String(response.headers['content-type']).startsWith('text/event-stream');
      response.on('data', (chunk: Buffer) => (streaming ? parser.push(chunk.toString('utf8')) : chunks.push(chunk)));
      response.on('error', () => undefined);
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        events: parser.events,
        comments: parser.comments,
        ended,
        isEnded: () => finished,
        body: async () => {
          await ended;
          return Buffer.concat(chunks).toString('utf8');
        },
        waitForEvents: (count, what = `${count} events`) =>
          eventually(async () => {
            if (parser.events.length >= count) return parser.events.slice(0, count);
            if (finished) throw new Error(`the stream ended after ${parser.events.length} events, waiting for ${what}`);
            return undefined;
          }, what),
        close: () => request.destroy(),
      });
    });
    request.on('error', reject);
  });
}

/** The stream format's parsing rules, incrementally: fields per line, an event per blank line. */
class SseParser {
  readonly events: ServerSentEvent[] = [];
  readonly comments: string[] = [];
  private buffered = '';
  private id?: string;
  private event = '';
  private data: string[] = [];

  constructor(private readonly onEvent?: (event: ServerSentEvent) => void) {}

  push(text: string): void {
    this.buffered += text;
    const lines = this.buffered.split(/\r\n|\r|\n/);
    this.buffered = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return void this.comments.push(line.slice(1).trim());
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') this.id = value;
    else if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
  }

  private dispatch(): void {
    if (this.data.length > 0) {
      const event = { ...(this.id !== undefined && { id: this.id }), event: this.event || 'message', data: this.data.join('\n') };
      this.onEvent?.(event);
      this.events.push(event);
    }
    [this.event, this.data] = ['', []];
  }
}
