import { CloudEvent } from '@switchboard/contracts';
import { enqueueEvents } from '@switchboard/messaging/core';
import { pgTransactionRunner } from '@switchboard/persistence';
import { withConnection } from '@switchboard/persistence/migrate';
import pg from 'pg';
import { BENCH_TOPIC } from './bench-events';

/** When each stage of the pipeline had handled every event, in ms from the first outbox insert. */
export interface PipelineStages {
  outboxInsertedMs: number;
  relayedMs: number;
  consumedMs: number;
}

const OUTBOX_BATCH = 1_000;
/** Only to notice the end: the times themselves come from the rows (published_at, consumed_at). */
const POLL_MS = 250;
const STALL_MS = 60_000;

interface Progress {
  unpublished: number;
  consumed: number;
}

// Cheap on purpose, so that watching costs the pipeline's Postgres next to nothing: the outbox index
// finds unpublished rows, and the log is small. Only the run's own events count: on a shared broker (the
// test suite's) crm-sync may also store other tests' events from the same topic.
function progress(client: pg.ClientBase, eventIdPrefix: string): Promise<Progress> {
  return client
    .query<{ unpublished: string; consumed: string }>(
      `SELECT (SELECT count(*) FROM event_bridge.outbox_event WHERE published_at IS NULL) AS unpublished,
              (SELECT count(*) FROM crm_sync.agent_event_log WHERE event_id LIKE $1) AS consumed`,
      [`${eventIdPrefix}%`],
    )
    .then(({ rows }) => ({ unpublished: Number(rows[0].unpublished), consumed: Number(rows[0].consumed) }));
}

/** Milliseconds from `started` (the database's clock) to the last publish and the last consumption of the run. */
async function stageEnds(client: pg.ClientBase, started: Date, eventIdPrefix: string): Promise<Omit<PipelineStages, 'outboxInsertedMs'>> {
  const { rows } = await client.query<{ relayed: Date; consumed: Date }>(
    `SELECT (SELECT max(published_at) FROM event_bridge.outbox_event) AS relayed,
            (SELECT max(consumed_at) FROM crm_sync.agent_event_log WHERE event_id LIKE $1) AS consumed`,
    [`${eventIdPrefix}%`],
  );
  return { relayedMs: rows[0].relayed.getTime() - started.getTime(), consumedMs: rows[0].consumed.getTime() - started.getTime() };
}

/**
 * Writes the events into event-bridge's outbox the way a request handler does (producer-side contract
 * check, one transaction per batch), while event-bridge's relay ships them and crm-sync consumes them;
 * returns once crm-sync has stored every one, with the time each stage finished.
 */
export async function runPipeline(pool: pg.Pool, databaseUrl: string, events: CloudEvent[], eventIdPrefix: string): Promise<PipelineStages> {
  const transaction = pgTransactionRunner(pool);
  const started = (await pool.query<{ now: Date }>('SELECT clock_timestamp() AS now')).rows[0].now;
  const wallStart = performance.now();
  for (let start = 0; start < events.length; start += OUTBOX_BATCH) {
    const batch = events.slice(start, start + OUTBOX_BATCH).map((event) => ({ topic: BENCH_TOPIC, event }));
    await transaction((tx) => enqueueEvents(tx, 'event_bridge', batch));
  }
  const outboxInsertedMs = Math.round(performance.now() - wallStart);
  await withConnection(databaseUrl, (client) => waitUntilConsumed(client, eventIdPrefix, events.length));
  return { outboxInsertedMs, ...(await withConnection(databaseUrl, (client) => stageEnds(client, started, eventIdPrefix))) };
}

/** The writer's pool: the caller ends it after reading the CPU time of its Postgres backends. */
export function outboxWriterPool(databaseUrl: string): pg.Pool {
  return new pg.Pool({ connectionString: databaseUrl, max: 2, application_name: 'bench-outbox-writer' });
}

async function waitUntilConsumed(client: pg.ClientBase, eventIdPrefix: string, expected: number): Promise<void> {
  let last: Progress = { unpublished: -1, consumed: -1 };
  let lastChange = Date.now();
  for (;;) {
    const now = await progress(client, eventIdPrefix);
    if (now.consumed >= expected) return;
    if (now.unpublished !== last.unpublished || now.consumed !== last.consumed) [last, lastChange] = [now, Date.now()];
    if (Date.now() - lastChange > STALL_MS) {
      throw new Error(`the pipeline stalled: ${now.unpublished} outbox rows unpublished, ${now.consumed} of ${expected} events stored`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
