import { PollingLoop, RoundOutcome } from '@switchboard/jobs/polling-loop';
import { NotificationListener, quoteIdentifier, TransactionRunner } from '@switchboard/persistence';
import { Message, Producer } from 'kafkajs';
import { errorMessage, MessagingLogger } from './logger';
import { KAFKA_STOP_TIMEOUT_MS, stopWithin } from './stop-within';

export interface OutboxRelayOptions {
  db: TransactionRunner;
  schema: string;
  producer: Producer;
  logger: MessagingLogger;
  /**
   * Rows per round (default 5,000). A round is one transaction plus Kafka round trips, so under load larger
   * rounds let the relay keep pace with the writers (npm run bench:consumer: at 1,000 it trailed them by ~1 s).
   */
  batchSize?: number;
  /** How often to look for new rows when nobody calls wake() (a fallback when notifications are on). */
  pollIntervalMs?: number;
  /**
   * Subscribes to the outbox's commit notifications (the `outbox_<schema>` channel the platform's
   * trigger notifies while the relay is idle): it then wakes as soon as any process commits rows.
   */
  listen?: (channel: string, onNotify: () => void) => Promise<NotificationListener>;
  /** Published rows are kept this long for inspection, then deleted. */
  retentionHours?: number;
  /**
   * After a round that found less than a full batch, the relay waits this long before the next one, so
   * that under a steady stream of commits one round ships many rows instead of one per commit (each
   * round costs a transaction). The latency it adds is at most this. Default 20 ms.
   */
  gatherMs?: number;
  /** How long stop() waits for the round in flight (a send Kafka is slow to answer; default KAFKA_STOP_TIMEOUT_MS). */
  stopTimeoutMs?: number;
  /** Awaited before each round (PollingLoop's giveWay): the relay gives way to the service's requests. */
  giveWay?: () => Promise<unknown>;
}

interface OutboxRow {
  /** The primary key, as text (bigint). */
  seq: string;
  topic: string;
  key: string;
  /** The CloudEvent as JSON text: read as text, it goes to Kafka without a parse and a stringify. */
  envelope: string;
  correlation_id: string | null;
}

/** Kafka's default message.max.bytes is 1 MB per partition batch; requests are cut well below it. */
const MAX_REQUEST_BYTES = 512 * 1024;
/** The wait after a failed round. */
const RETRY_MS = 1_000;
/** Published rows deleted per statement by the retention cleanup. */
const CLEANUP_BATCH = 10_000;

/**
 * Moves committed outbox rows to Kafka, in commit order. One relay per service works at a time (a
 * transaction-scoped advisory lock), so per-key order holds even with several replicas; a crash after
 * the send but before the row is marked re-sends it, and consumers' inboxes absorb the duplicate.
 */
export class OutboxRelay {
  private readonly loop: PollingLoop;
  private listener?: Promise<NotificationListener | undefined>;
  private hearsCommits = false;
  private lastCleanup = 0;
  private readonly table: string;
  private readonly stateTable: string;

  constructor(private readonly options: OutboxRelayOptions) {
    this.table = `${quoteIdentifier(options.schema)}.outbox_event`;
    this.stateTable = `${quoteIdentifier(options.schema)}.outbox_relay_state`;
    this.loop = new PollingLoop({
      name: 'outbox relay',
      round: () => this.loopRound(),
      idleMs: options.pollIntervalMs ?? 100,
      // A failed publish (Kafka or the database away) is retried every second, however many commits wake it.
      backoff: { initialMs: RETRY_MS, maxMs: RETRY_MS },
      giveWay: options.giveWay,
      logger: { warn: ({ msg, ...fields }: { msg: string }) => options.logger.warn(msg, fields) },
    });
  }

  start(): void {
    if (this.loop.isRunning) return;
    this.listener = this.options.listen?.(`outbox_${this.options.schema}`, () => this.wake()).then(
      (listener) => {
        this.hearsCommits = true;
        return listener;
      },
      (error: unknown) => {
        this.options.logger.warn('outbox relay: not listening for commits, polling only', { error: errorMessage(error) });
        return undefined;
      },
    );
    this.loop.start();
  }

  async stop(): Promise<void> {
    const deadline = this.options.stopTimeoutMs ?? KAFKA_STOP_TIMEOUT_MS;
    await stopWithin('outbox relay', this.loop.stop(), deadline, this.options.logger);
    await (await this.listener)?.close();
  }

  /** Shortens the wait after a producer commits new rows. */
  wake(): void {
    this.loop.wake();
  }

  /**
   * For a producer in this process that is about to commit rows: without notifications, wakes the relay
   * shortly after (the commit is then done); with them, the commit's NOTIFY does, or a round is due anyway.
   */
  wakeAfterCommit(): void {
    if (!this.hearsCommits) setTimeout(() => this.wake(), 15).unref();
  }

  /** Publishes one batch; returns how many rows went out. */
  async publishPending(): Promise<number> {
    return (await this.round()).published;
  }

  /** A round of the loop: a full batch goes again at once, a partial one gathers what commits meanwhile. */
  private async loopRound(): Promise<RoundOutcome> {
    const { published, becameIdle } = await this.round();
    await this.cleanupPublished();
    if (published >= this.batchSize) return true;
    if (published > 0) return { gatherMs: this.options.gatherMs ?? 20 };
    // Commits that saw the relay busy notified nobody: look once more before sleeping.
    return becameIdle;
  }

  /**
   * One round under the outbox lock: ships a batch, and records in the schema's relay state whether the
   * relay is busy (commits then skip their NOTIFY) or idle. `becameIdle` says this round switched it to idle.
   */
  private async round(): Promise<{ published: number; becameIdle: boolean }> {
    const { db, schema } = this.options;
    return db(async (tx) => {
      const [lock] = await tx.$queryRawUnsafe<{ locked: boolean }[]>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', `${schema}.outbox`);
      if (!lock?.locked) return { published: 0, becameIdle: false };
      // Claimed and marked in one statement: the mark commits only if every send succeeded (a failed send
      // throws, and the transaction rolls the mark back), so a row is relayed at least once.
      const rows = await tx.$queryRawUnsafe<OutboxRow[]>(
        `WITH claimed AS (
           UPDATE ${this.table} SET published_at = now()
            WHERE seq IN (SELECT seq FROM ${this.table} WHERE published_at IS NULL ORDER BY seq LIMIT $1)
           RETURNING seq, topic, key, envelope)
         SELECT seq::text AS seq, topic, key, envelope::text AS envelope, envelope->>'correlationid' AS correlation_id
           FROM claimed ORDER BY claimed.seq`,
        this.batchSize,
      );
      const idle = rows.length === 0;
      // Writes only when the state changes (WHERE), so a steady stream of rounds costs no row versions.
      const changed = await tx.$executeRawUnsafe(`UPDATE ${this.stateTable} SET idle = $1 WHERE singleton AND idle <> $1`, idle);
      if (idle) return { published: 0, becameIdle: changed > 0 };
      await this.send(rows);
      return { published: rows.length, becameIdle: false };
    });
  }

  private async send(rows: OutboxRow[]): Promise<void> {
    for (const request of bySize(rows)) await this.options.producer.sendBatch({ acks: -1, topicMessages: groupByTopic(request) });
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 5_000;
  }

  private async cleanupPublished(): Promise<void> {
    const now = Date.now();
    if (now - this.lastCleanup < 60_000) return;
    this.lastCleanup = now;
    await this.deleteExpiredOutboxRows();
  }

  /** Deletes published rows past their retention, oldest first along the primary key; returns how many went. */
  async deleteExpiredOutboxRows(): Promise<number> {
    const hours = this.options.retentionHours ?? 72;
    let total = 0;
    for (;;) {
      const deleted = await this.options.db((tx) =>
        tx.$executeRawUnsafe(
          `DELETE FROM ${this.table} WHERE seq IN (SELECT seq FROM ${this.table} ORDER BY seq LIMIT $2)
             AND published_at < now() - make_interval(hours => $1)`,
          hours,
          CLEANUP_BATCH,
        ),
      );
      total += deleted;
      if (deleted < CLEANUP_BATCH) return total;
    }
  }
}

/** CloudEvents' Kafka binding, structured mode; shared by every message that carries no correlation id. */
const CLOUDEVENT_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'content-type': 'application/cloudevents+json' });

/** Consecutive runs of rows whose envelopes together stay under MAX_REQUEST_BYTES (at least one row each). */
function bySize(rows: OutboxRow[]): OutboxRow[][] {
  const requests: OutboxRow[][] = [];
  let current: OutboxRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    if (current.length > 0 && bytes + row.envelope.length > MAX_REQUEST_BYTES) {
      requests.push(current);
      [current, bytes] = [[], 0];
    }
    current.push(row);
    bytes += row.envelope.length;
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

function groupByTopic(rows: OutboxRow[]) {
  const byTopic = new Map<string, Message[]>();
  for (const row of rows) {
    const headers = row.correlation_id ? { ...CLOUDEVENT_HEADERS, 'x-correlation-id': row.correlation_id } : CLOUDEVENT_HEADERS;
    let messages = byTopic.get(row.topic);
    if (!messages) byTopic.set(row.topic, (messages = []));
    messages.push({ key: row.key, value: row.envelope, headers });
  }
  return [...byTopic.entries()].map(([topic, messages]) => ({ topic, messages }));
}
