/** How a request of the workload ended. */
export type Outcome =
  | { kind: 'answered'; status: number; body: unknown }
  /** The connection was refused: the request never reached a service, so it can be sent again. */
  | { kind: 'refused' }
  /** Sent, but no answer came (reset, timeout): it may or may not have been processed. */
  | { kind: 'lost'; reason: string };

const REQUEST_TIMEOUT_MS = 15_000;

export function postJson(url: string, body: unknown, headers: Record<string, string>): Promise<Outcome> {
  return send(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

export function putBytes(url: string, body: Buffer, headers: Record<string, string>): Promise<Outcome> {
  return send(url, { method: 'PUT', headers, body: new Uint8Array(body) });
}

async function send(url: string, init: RequestInit): Promise<Outcome> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const text = await response.text();
    return { kind: 'answered', status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    if (cause?.code === 'ECONNREFUSED') return { kind: 'refused' };
    return { kind: 'lost', reason: cause?.code ?? (error as Error).name };
  }
}

/** Answers that say the request was not processed (overload, a dependency down): safe to send again. */
export function notProcessed(outcome: Outcome): boolean {
  return outcome.kind === 'refused' || (outcome.kind === 'answered' && [429, 502, 503].includes(outcome.status));
}

/** A deterministic random source (mulberry32), so a run's kill schedule repeats with its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work(i)` for i in 0..count-1, at most `concurrency` at once, starting unit i no earlier than `startAt(i)`. */
export async function paced(count: number, concurrency: number, startAt: (index: number) => number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < count; index = next++) {
      const wait = startAt(index) - Date.now();
      if (wait > 0) await sleep(wait);
      await work(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** Per unit of one kind: what the caller learnt. */
export interface UnitLedger {
  accepted: string[];
  unacknowledged: string[];
  refused: number;
  refusals: string[];
  /** Per unacknowledged unit, the last thing its tries came to. */
  lastFailures: string[];
}

export const ledger = (): UnitLedger => ({ accepted: [], unacknowledged: [], refused: 0, refusals: [], lastFailures: [] });

/**
 * Sends an idempotent unit until it is answered: `accepted` status → accepted (resolves with the body), another 4xx
 * (not 429) → refused, no answer by `retryUntil` → unacknowledged (resolves undefined for both).
 */
export async function untilAnswered(units: UnitLedger, unit: string, accepted: number, retryUntil: number, send: () => Promise<Outcome>): Promise<unknown> {
  for (;;) {
    const outcome = await send();
    if (outcome.kind === 'answered' && outcome.status === accepted) {
      units.accepted.push(unit);
      return outcome.body ?? {};
    }
    if (outcome.kind === 'answered' && outcome.status >= 400 && outcome.status < 500 && outcome.status !== 429) {
      units.refused++;
      units.refusals.push(`${outcome.status} ${JSON.stringify(outcome.body)}`);
      return undefined;
    }
    if (Date.now() > retryUntil) {
      units.unacknowledged.push(unit);
      units.lastFailures.push(`${unit}: ${describeOutcome(outcome)}`);
      return undefined;
    }
    await sleep(500);
  }
}

export function describeOutcome(outcome: Outcome): string {
  if (outcome.kind === 'answered') return `${outcome.status} ${JSON.stringify(outcome.body)}`.slice(0, 300);
  return outcome.kind === 'lost' ? `no answer (${outcome.reason})` : 'connection refused';
}
