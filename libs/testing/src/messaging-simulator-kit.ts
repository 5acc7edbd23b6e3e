/** What the SMS provider simulators (Twilio, Azure Communication Services) share: failures on demand and webhook posting. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpSimulator, readBody } from './simulator-http';

/** The next `times` send requests (default 1) answer with this status; `retryAfterSeconds` adds Retry-After. */
export interface NextRequestsFault {
  status: number;
  /** The provider's error code in the answer (Twilio `code`, ACS `error.code`); a fitting default otherwise. */
  code?: string | number;
  message?: string;
  retryAfterSeconds?: number;
  times?: number;
}

/**
 * What happens to messages for one recipient number: refused at send time (`reject`, with the provider's
 * status and code), or accepted and then reported `failed` / `undelivered` with an error code.
 */
export type RecipientOutcome =
  | { type: 'reject'; status?: number; code?: string | number; message?: string }
  | { type: 'failed' | 'undelivered'; errorCode?: string | number; message?: string };

/** Failures on demand: counted faults for the next requests, outcomes per recipient number. */
export class SimulatorFaults {
  private readonly next: Array<NextRequestsFault & { left: number }> = [];
  private readonly recipients = new Map<string, RecipientOutcome>();

  failNext(fault: NextRequestsFault): void {
    this.next.push({ ...fault, left: fault.times ?? 1 });
  }

  failRecipient(number: string, outcome: RecipientOutcome): void {
    this.recipients.set(number, outcome);
  }

  clear(): void {
    this.next.length = 0;
    this.recipients.clear();
  }

  /** Takes one use of the oldest counted fault. */
  takeNext(): NextRequestsFault | undefined {
    const fault = this.next[0];
    if (!fault) return undefined;
    if (--fault.left <= 0) this.next.shift();
    return fault;
  }

  outcomeFor(number: string): RecipientOutcome | undefined {
    return this.recipients.get(number);
  }

  /** `{ "recipient": "+1…", …outcome }` or a NextRequestsFault, as the HTTP control endpoint takes them. */
  applyControl(body: unknown): string | undefined {
    if (typeof body !== 'object' || body === null) return 'send a JSON object';
    const fault = body as Record<string, unknown>;
    if (typeof fault['recipient'] === 'string') {
      const { recipient, ...outcome } = fault;
      if (!['reject', 'failed', 'undelivered'].includes(String(outcome['type']))) return 'type must be reject, failed or undelivered';
      this.failRecipient(recipient as string, outcome as unknown as RecipientOutcome);
      return undefined;
    }
    if (typeof fault['status'] !== 'number') return 'a fault needs a numeric status (or a recipient and an outcome type)';
    this.failNext(fault as unknown as NextRequestsFault);
    return undefined;
  }
}

/** A webhook POST a simulator made (status callback, delivery report, inbound message, validation). */
export interface SimulatorWebhookDelivery {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The answer's status, or undefined when the request failed (then `error`). */
  status?: number;
  responseBody?: string;
  error?: string;
}

/** Posts webhooks, records each one, and lets tests await the ones in flight. */
export class WebhookPoster {
  readonly deliveries: SimulatorWebhookDelivery[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly laterQueues = new Map<number, Array<{ dueAt: number; work: () => Promise<unknown> }>>();

  post(url: string, headers: Record<string, string>, body: string): Promise<SimulatorWebhookDelivery> {
    const delivery: SimulatorWebhookDelivery = { url, headers, body };
    this.deliveries.push(delivery);
    const done = fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(15_000) })
      .then(async (response) => {
        delivery.status = response.status;
        delivery.responseBody = await response.text();
      })
      .catch((error: unknown) => {
        delivery.error = error instanceof Error ? error.message : String(error);
      })
      .then(() => delivery);
    return this.track(done);
  }

  /**
   * Runs `work` after `delayMs`, counted as in flight until it ends. Work of one delay is due in the order it was
   * asked for, so it waits in one queue per delay behind one timer: a simulator answering thousands of sends a
   * second schedules a timer per tick, not one (and a promise) per message.
   */
  later(delayMs: number, work: () => Promise<unknown>): void {
    const entry = { dueAt: performance.now() + delayMs, work };
    const queue = this.laterQueues.get(delayMs);
    if (queue) {
      queue.push(entry);
      return;
    }
    this.laterQueues.set(delayMs, [entry]);
    void this.track(this.runLater(delayMs));
  }

  /** Resolves when nothing is in flight any more (including work scheduled meanwhile). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Starts each queued work of this delay when it is due, until the queue is empty (then a later() starts it again). */
  private async runLater(delayMs: number): Promise<void> {
    const queue = this.laterQueues.get(delayMs) ?? [];
    while (queue.length > 0) {
      const wait = (queue[0]?.dueAt ?? 0) - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
      const now = performance.now();
      let due = 0;
      while (due < queue.length && (queue[due]?.dueAt ?? 0) <= now) due++;
      for (const { work } of queue.splice(0, due)) void this.track(Promise.resolve().then(work).catch(() => undefined));
    }
    this.laterQueues.delete(delayMs);
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise)).catch(() => undefined);
    return promise;
  }
}

/** An E.164 phone number: `+`, a country code not starting with 0, 7 to 15 digits in all. */
export function isE164(value: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(value);
}

/** A webhook request a WebhookCollector received. */
export interface CollectedWebhook {
  method: string;
  /** The full URL as the sender addressed it (http://host:port/path?query). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A stand-in for our own webhook endpoint in tests: records every request and answers with `answer`
 * (default 200 and an empty body), so a test can check what a simulator posted and how it was signed.
 */
export class WebhookCollector extends HttpSimulator {
  readonly received: CollectedWebhook[] = [];
  answer: (request: CollectedWebhook) => { status: number; body?: string } = () => ({ status: 200 });

  static async start(host = '127.0.0.1'): Promise<WebhookCollector> {
    const collector = new WebhookCollector();
    await collector.listen(host, 0);
    return collector;
  }

  protected async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const collected: CollectedWebhook = { method: request.method ?? 'GET', url: `${this.url}${request.url ?? '/'}`, headers: request.headers, body: await readBody(request) };
    this.received.push(collected);
    const { status, body } = this.answer(collected);
    response.writeHead(status, body ? { 'content-type': 'application/json' } : {}).end(body ?? '');
  }
}
