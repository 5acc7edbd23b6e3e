import { NotificationListener, quoteIdentifier, TransactionRunner } from '@switchboard/persistence';
import { Message, Producer } from 'kafkajs';
import { errorMessage, MessagingLogger } from './logger';

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
/** Published rows deleted per statement by the retention cleanup. */
const CLEANUP_BATCH = 10_000;

/**
 * Moves committed outbox rows to Kafka, in commit order. One relay per service works at a time (a
 * transaction-scoped advisory lock), so per-key order holds even with several replicas; a crash after
 * the send but before the row is marked re-sends it, and consumers' inboxes absorb the duplicate.
 */
export class OutboxRelay {
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  /** A wake() that came while a round ran: the next idle() returns at once instead of losing it. */
  private woken = false;
  private stopWaiting?: () => void;
  private listener?: Promise<NotificationListener | undefined>;
  private hearsCommits = false;
  private lastCleanup = 0;
  private readonly table: string;
  private readonly stateTable: string;

  constructor(private readonly options: OutboxRelayOptions) {
    this.table = `${quoteIdentifier(options.schema)}.outbox_event`;
    this.stateTable = `${quoteIdentifier(options.schema)}.outbox_relay_state`;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
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
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    this.stopWaiting?.();
    await this.loop;
    await (await this.listener)?.close();
  }

  /** Shortens the wait after a producer commits new rows. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
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

  /**
   * One round under the outbox lock: ships a batch, and records in the schema's relay state whether the
   * relay is busy (commits then skip their NOTIFY) or idle. `becameIdle` says this round switched it to idle.
   */
  private async round(): Promise<{ published: number; becameIdle: boolean }> {
    const { db, schema } = this.options;
    return db(async (tx) => {
      const [lock] = await tx.$queryRawUnsafe<{ locked: boolean }[]>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', `${schema}.outbox`);
      if (!lock?.locked) return { published: 0, becameIdle: false };
      const rows = await tx.$queryRawUnsafe<OutboxRow[]>(
        `SELECT seq::text AS seq, topic, key, envelope::text AS envelope, envelope->>'correlationid' AS correlation_id
           FROM ${this.table} WHERE published_at IS NULL ORDER BY ${this.table}.seq LIMIT $1`,
        this.batchSize,
      );
      const idle = rows.length === 0;
      // Writes only when the state changes (WHERE), so a steady stream of rounds costs no row versions.
      const changed = await tx.$executeRawUnsafe(`UPDATE ${this.stateTable} SET idle = $1 WHERE singleton AND idle <> $1`, idle);
      if (idle) return { published: 0, becameIdle: changed > 0 };
      // Marked while Kafka takes them: the mark commits only if every send succeeded (a failed send
      // throws, and the transaction rolls the mark back), so the database works during the send.
      await Promise.all([
        tx.$executeRawUnsafe(`UPDATE ${this.table} SET published_at = now() WHERE seq = ANY($1::bigint[])`, rows.map((row) => row.seq)),
        this.send(rows),
      ]);
      return { published: rows.length, becameIdle: false };
    });
  }

  private async send(rows: OutboxRow[]): Promise<void> {
    for (const request of bySize(rows)) await this.options.producer.sendBatch({ acks: -1, topicMessages: groupByTopic(request) });
  }

  private async run(): Promise<void> {
    const pollIntervalMs = this.options.pollIntervalMs ?? 100;
    while (this.running) {
      let published = 0;
      let becameIdle = false;
      try {
        ({ published, becameIdle } = await this.round());
        await this.cleanupPublished();
      } catch (error) {
        this.options.logger.warn('outbox relay: publish failed, will retry', { error: errorMessage(error) });
        if (this.running) await this.idle(1_000);
        continue;
      }
      if (!this.running) break;
      if (published > 0) {
        if (published < this.batchSize) await this.gather();
      } else if (becameIdle) {
        continue; // commits that saw the relay busy notified nobody: look once more before sleeping
      } else {
        await this.idle(pollIntervalMs);
      }
    }
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 5_000;
  }

  /** Between rounds that found rows: wake-ups do not shorten it (they are what it gathers). */
  private gather(): Promise<void> {
    return this.pause(this.options.gatherMs ?? 20, false);
  }

  private idle(ms: number): Promise<void> {
    return this.pause(ms, true);
  }

  /** Waits `ms`; stop() ends it early, and so does wake() when `wakeable` (also one that came before). */
  private async pause(ms: number, wakeable: boolean): Promise<void> {
    if (wakeable && this.woken) {
      this.woken = false;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
      this.stopWaiting = resolve;
      if (wakeable) this.wakeUp = resolve;
    });
    clearTimeout(timer);
    this.stopWaiting = this.wakeUp = undefined;
    if (wakeable) this.woken = false;
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
    const headers: Record<string, string> = { 'content-type': 'application/cloudevents+json' };
    if (row.correlation_id) headers['x-correlation-id'] = row.correlation_id;
    const messages = byTopic.get(row.topic) ?? [];
    messages.push({ key: row.key, value: row.envelope, headers });
    byTopic.set(row.topic, messages);
  }
  return [...byTopic.entries()].map(([topic, messages]) => ({ topic, messages }));
}
