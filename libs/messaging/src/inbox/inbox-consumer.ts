import { CloudEvent, EventCatalog, eventCatalog } from '@switchboard/contracts';
import { SqlExecutor, TransactionRunner } from '@switchboard/persistence';
import { Consumer, ConsumerConfig, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import { errorMessage, MessagingLogger } from '../logger';
import { defaultRetryPolicy, retryDelayMs, RetryPolicy } from '../retry-policy';
import { DeadLetters } from './dead-letters';
import { InboxMessage, inboxMessageOf, InboxMessageMeta, ParsedInboxMessage } from './inbox-message';
import { InboxStore } from './inbox-store';

/** Applies one event inside the transaction that also records it in the inbox. */
export type InboxHandler<Tx> = (event: CloudEvent, tx: Tx, meta: InboxMessageMeta) => Promise<void>;

export interface InboxConsumerOptions<Tx extends SqlExecutor> {
  kafka: Kafka;
  consumerConfig: ConsumerConfig;
  /** Producer used to park failed messages in `<topic>.dlq`. */
  dlqProducer: Producer;
  transaction: TransactionRunner<Tx>;
  /** Postgres schema holding the service's inbox_event table. */
  schema: string;
  topics: string[];
  /** The handler of an event type on a topic; events nobody handles are skipped. */
  route: (topic: string, type: string) => InboxHandler<Tx> | undefined;
  logger: MessagingLogger;
  retry?: RetryPolicy;
  catalog?: EventCatalog;
  fromBeginning?: boolean;
  /** Most events applied in one transaction. */
  maxBatchSize?: number;
  /** Partitions worked on at once; each keeps its order and uses its own database connection. */
  partitionsConsumedConcurrently?: number;
  /** Inbox rows older than this are deleted; keep it above the broker's retention. */
  inboxRetentionHours?: number;
}

interface RoutedEvent<Tx> {
  message: ParsedInboxMessage;
  handler: InboxHandler<Tx>;
}

type Attempt = { ok: true } | { ok: false; error: unknown; failedAt?: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const INBOX_CLEANUP_EVERY_MS = 10 * 60_000;
const INBOX_CLEANUP_ROWS = 10_000;

/**
 * Idempotent, batched consumption (P3.3). Per partition, in order, up to `maxBatchSize` events are applied
 * in one transaction together with their inbox rows, so a redelivered event is recognised and skipped.
 * Offsets are resolved only after that transaction commits, so nothing is lost. When a handler fails, the
 * events before it are applied together again and the failing one alone, with bounded retries and
 * back-off, and then parked in `<topic>.dlq`; the rest of the batch goes on.
 */
export class InboxConsumer<Tx extends SqlExecutor> {
  private consumer?: Consumer;
  private stopping = false;
  private cleanupTimer?: NodeJS.Timeout;
  private readonly inbox: InboxStore;
  private readonly deadLetters: DeadLetters;
  private readonly policy: RetryPolicy;

  constructor(private readonly options: InboxConsumerOptions<Tx>) {
    this.inbox = new InboxStore(options.schema);
    this.deadLetters = new DeadLetters(options.dlqProducer, this.groupId, options.logger);
    this.policy = options.retry ?? defaultRetryPolicy;
  }

  get groupId(): string {
    return this.options.consumerConfig.groupId;
  }

  async start(): Promise<void> {
    this.stopping = false;
    this.consumer = this.options.kafka.consumer(this.options.consumerConfig);
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.cleanupTimer = setInterval(() => void this.deleteExpiredInboxRows(), INBOX_CLEANUP_EVERY_MS).unref();
  }

  /** Finishes the batch in hand, commits its offsets and leaves the group (P4.3). */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.cleanupTimer);
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  /** Deletes inbox rows past their retention; also runs every ten minutes while consuming. */
  async deleteExpiredInboxRows(): Promise<number> {
    const hours = this.options.inboxRetentionHours ?? 14 * 24;
    let deleted = 0;
    try {
      for (;;) {
        const count = await this.options.transaction((tx) => this.inbox.deleteOlderThan(tx, hours, INBOX_CLEANUP_ROWS));
        deleted += count;
        if (count < INBOX_CLEANUP_ROWS) return deleted;
      }
    } catch (error) {
      this.options.logger.warn('consumer: inbox cleanup failed, will retry later', { error: errorMessage(error) });
      return deleted;
    }
  }

  private async onBatch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const size = this.options.maxBatchSize ?? 500;
    for (let start = 0; start < batch.messages.length; start += size) {
      if (!isRunning() || isStale()) return;
      const chunk = batch.messages.slice(start, start + size).map((message) => inboxMessageOf(batch.topic, batch.partition, message));
      const routed: RoutedEvent<Tx>[] = [];
      for (const message of chunk) {
        const event = await this.parseOrPark(message);
        const handler = event && this.options.route(message.meta.topic, event.type);
        if (event && handler) routed.push({ message: { ...message, event }, handler });
      }
      await this.applyInOrder(routed, heartbeat);
      resolveOffset(chunk[chunk.length - 1].meta.offset);
      await commitOffsetsIfNecessary();
      await heartbeat();
    }
  }

  /** The message's event, or undefined after parking it: a broken contract does not get better by retrying. */
  private async parseOrPark(message: InboxMessage): Promise<CloudEvent | undefined> {
    try {
      return (this.options.catalog ?? eventCatalog).parse(message.meta.topic, JSON.parse(message.raw));
    } catch (error) {
      await this.deadLetters.park(message, `contract: ${errorMessage(error)}`, 0);
      return undefined;
    }
  }

  private async applyInOrder(events: RoutedEvent<Tx>[], heartbeat: () => Promise<void>): Promise<void> {
    let rest = events;
    while (rest.length > 0) {
      const attempt = await this.applyTogether(rest);
      if (attempt.ok) return;
      if (this.stopping) throw attempt.error; // leave the offset unresolved; the next owner redelivers
      // A handler failed at `failedAt`: what came before it is fine on its own. An error outside the
      // handlers (the inbox write, the commit) is blamed on the first event, which then retries alone.
      const failedAt = attempt.failedAt ?? 0;
      if (failedAt > 0) await this.applyInOrder(rest.slice(0, failedAt), heartbeat);
      await this.applyAlone(rest[failedAt], attempt.error, heartbeat);
      rest = rest.slice(failedAt + 1);
    }
  }

  /** One transaction: the inbox rows of all events, then each new event's handler, in order. */
  private async applyTogether(events: RoutedEvent<Tx>[]): Promise<Attempt> {
    let failedAt: number | undefined;
    try {
      await this.options.transaction(async (tx) => {
        const ids = events.map(({ message }) => message.event.id);
        const fresh = await this.inbox.claim(tx, this.groupId, events[0].message.meta.topic, ids);
        for (const [index, { message, handler }] of events.entries()) {
          // delete(): a second copy of an event within the same batch is a duplicate too.
          if (!fresh.delete(message.event.id)) continue;
          failedAt = index;
          await handler(message.event, tx, message.meta);
          failedAt = undefined;
        }
      });
      return { ok: true };
    } catch (error) {
      return { ok: false, error, failedAt };
    }
  }

  /** Retries one event with back-off after its first failure, then parks it in the DLQ. */
  private async applyAlone(event: RoutedEvent<Tx>, firstError: unknown, heartbeat: () => Promise<void>): Promise<void> {
    let error = firstError;
    for (let attempt = 2; attempt <= this.policy.maxAttempts; attempt++) {
      const { meta } = event.message;
      this.options.logger.warn('consumer: handler failed, retrying', {
        topic: meta.topic,
        eventId: event.message.event.id,
        attempt: attempt - 1,
        error: errorMessage(error),
      });
      await sleep(retryDelayMs(this.policy, attempt - 1));
      await heartbeat();
      const result = await this.applyTogether([event]);
      if (result.ok) return;
      if (this.stopping) throw result.error;
      error = result.error;
    }
    await this.deadLetters.park(event.message, errorMessage(error), this.policy.maxAttempts);
  }
}
