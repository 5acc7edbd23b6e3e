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
const POLL_MS = 50;
const STALL_MS = 60_000;

interface Progress {
  unpublished: number;
  consumed: number;
}

function progress(databaseUrl: string, eventIdPrefix: string): Promise<Progress> {
  return withConnection(databaseUrl, async (client) => {
    const { rows } = await client.query<{ unpublished: string; consumed: string }>(
      `SELECT (SELECT count(*) FROM event_bridge.outbox_event WHERE published_at IS NULL) AS unpublished,
              (SELECT count(*) FROM crm_sync.agent_event_log WHERE event_id LIKE $1) AS consumed`,
      [`${eventIdPrefix}%`],
    );
    return { unpublished: Number(rows[0].unpublished), consumed: Number(rows[0].consumed) };
  });
}

/**
 * Writes the events into event-bridge's outbox the way a request handler does (producer-side contract
 * check, one transaction per batch), while event-bridge's relay ships them and crm-sync consumes them;
 * returns once crm-sync has stored every one, with the time each stage finished.
 */
export async function runPipeline(databaseUrl: string, events: CloudEvent[], eventIdPrefix: string): Promise<PipelineStages> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2, application_name: 'bench-outbox-writer' });
  const transaction = pgTransactionRunner(pool);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let relayedMs: number | undefined;
  try {
    for (let start = 0; start < events.length; start += OUTBOX_BATCH) {
      const batch = events.slice(start, start + OUTBOX_BATCH).map((event) => ({ topic: BENCH_TOPIC, event }));
      await transaction((tx) => enqueueEvents(tx, 'event_bridge', batch));
    }
    const outboxInsertedMs = elapsed();
    let last: Progress = { unpublished: -1, consumed: -1 };
    let lastChange = Date.now();
    for (;;) {
      const now = await progress(databaseUrl, eventIdPrefix);
      if (now.unpublished === 0) relayedMs ??= elapsed();
      if (now.consumed >= events.length) return { outboxInsertedMs, relayedMs: relayedMs ?? elapsed(), consumedMs: elapsed() };
      if (now.unpublished !== last.unpublished || now.consumed !== last.consumed) [last, lastChange] = [now, Date.now()];
      if (Date.now() - lastChange > STALL_MS) {
        throw new Error(`the pipeline stalled: ${now.unpublished} outbox rows unpublished, ${now.consumed} of ${events.length} events consumed`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    await pool.end();
  }
}
