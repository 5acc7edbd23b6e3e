import { CloudEvent, EventCatalog, eventCatalog } from '@switchboard/contracts';
import { SqlExecutor, TransactionRunner } from '@switchboard/persistence';
import { Consumer, ConsumerConfig, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import { errorMessage, MessagingLogger } from '../logger';
import { defaultRetryPolicy, retryDelayMs, RetryPolicy } from '../retry-policy';
import { KAFKA_STOP_TIMEOUT_MS, stopWithin } from '../stop-within';
import { DeadLetters } from './dead-letters';
import { InboxMessage, inboxMessageOf, InboxMessageMeta, ParsedInboxMessage } from './inbox-message';
import { InboxStore } from './inbox-store';

/** Applies one event inside the transaction that also records it in the inbox. */
export type InboxHandler<Tx> = (event: CloudEvent, tx: Tx, meta: InboxMessageMeta) => Promise<void>;

/** Applies consecutive events of one batch in one call (e.g. one multi-row insert), in the same transaction. */
export type InboxBatchHandler<Tx> = (events: CloudEvent[], tx: Tx, metas: InboxMessageMeta[]) => Promise<void>;

/** Where an event goes: a handler called per event, or one called with runs of consecutive events. */
export type InboxRoute<Tx> = { each: InboxHandler<Tx> } | { batch: InboxBatchHandler<Tx> };

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
  route: (topic: string, type: string) => InboxRoute<Tx> | undefined;
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
  /** How long stop() waits for the batch in hand and for leaving the group (default KAFKA_STOP_TIMEOUT_MS). */
  stopTimeoutMs?: number;
}

interface RoutedEvent<Tx> {
  message: ParsedInboxMessage;
  route: InboxRoute<Tx>;
}

/** A failed try names the span of the call that threw: [failedAt, end) (one event, or a batch handler's run). */
type Attempt = { ok: true } | { ok: false; error: unknown; failedAt?: number; end: number };

/** Consecutive new events that go to the same batch handler travel in one call. */
interface HandlerCall<Tx> {
  route: InboxRoute<Tx>;
  /** Index of its first event and one past its last, among the events tried together. */
  first: number;
  end: number;
  events: RoutedEvent<Tx>[];
}

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

  /** Finishes the batch in hand, commits its offsets and leaves the group (P4.3), or gives up waiting at the deadline. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.cleanupTimer);
    const consumer = this.consumer;
    this.consumer = undefined;
    if (!consumer) return;
    const deadline = this.options.stopTimeoutMs ?? KAFKA_STOP_TIMEOUT_MS;
    await stopWithin(`consumer group ${this.groupId}`, consumer.disconnect(), deadline, this.options.logger);
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
        const route = event && this.options.route(message.meta.topic, event.type);
        if (event && route) routed.push({ message: { ...message, event }, route });
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
      // A handler failed at `failedAt`: what came before it is fine on its own. The failing call's events
      // are retried one by one; an error outside the handlers (the inbox write, the commit) is blamed on
      // the first event. Only a single-event call's failure counts as that event's first attempt.
      const failedAt = attempt.failedAt ?? 0;
      if (failedAt > 0) await this.applyInOrder(rest.slice(0, failedAt), heartbeat);
      const suspects = rest.slice(failedAt, attempt.end);
      for (const suspect of suspects) await this.applyAlone(suspect, suspects.length === 1 ? attempt.error : undefined, heartbeat);
      rest = rest.slice(attempt.end);
    }
  }

  /** One transaction: the inbox rows of all events, then the handlers of the new ones, in order. */
  private async applyTogether(events: RoutedEvent<Tx>[]): Promise<Attempt> {
    let failing: HandlerCall<Tx> | undefined;
    try {
      await this.options.transaction(async (tx) => {
        const ids = events.map(({ message }) => message.event.id);
        const fresh = await this.inbox.claim(tx, this.groupId, events[0].message.meta.topic, ids);
        // delete(): a second copy of an event within the same batch is a duplicate too.
        const calls = handlerCalls(events, (event) => fresh.delete(event.message.event.id));
        for (const call of calls) {
          failing = call;
          await invoke(call, tx);
        }
        failing = undefined;
      });
      return { ok: true };
    } catch (error) {
      return failing ? { ok: false, error, failedAt: failing.first, end: failing.end } : { ok: false, error, end: 1 };
    }
  }

  /**
   * Applies one event in its own transaction, retrying with back-off, then parks it in the DLQ.
   * `firstError` is its own first failure, when that already happened.
   */
  private async applyAlone(event: RoutedEvent<Tx>, firstError: unknown, heartbeat: () => Promise<void>): Promise<void> {
    let error = firstError;
    for (let attempt = firstError === undefined ? 1 : 2; attempt <= this.policy.maxAttempts; attempt++) {
      if (error !== undefined) {
        const { meta } = event.message;
        this.options.logger.warn('consumer: handler failed, retrying', {
          topic: meta.topic,
          eventId: event.message.event.id,
          attempt: attempt - 1,
          error: errorMessage(error),
        });
        await sleep(retryDelayMs(this.policy, attempt - 1));
        await heartbeat();
      }
      const result = await this.applyTogether([event]);
      if (result.ok) return;
      if (this.stopping) throw result.error;
      error = result.error;
    }
    await this.deadLetters.park(event.message, errorMessage(error), this.policy.maxAttempts);
  }
}

/** Groups the events to apply into handler calls, in order: runs of one batch handler become one call. */
function handlerCalls<Tx>(events: RoutedEvent<Tx>[], isNew: (event: RoutedEvent<Tx>) => boolean): HandlerCall<Tx>[] {
  const calls: HandlerCall<Tx>[] = [];
  for (const [index, event] of events.entries()) {
    if (!isNew(event)) continue;
    const last = calls.at(-1);
    if (last && last.route === event.route && 'batch' in event.route) {
      last.events.push(event);
      last.end = index + 1;
    } else calls.push({ route: event.route, first: index, end: index + 1, events: [event] });
  }
  return calls;
}

function invoke<Tx>({ route, events }: HandlerCall<Tx>, tx: Tx): Promise<void> {
  if ('each' in route) return route.each(events[0].message.event, tx, events[0].message.meta);
  return route.batch(
    events.map(({ message }) => message.event),
    tx,
    events.map(({ message }) => message.meta),
  );
}
