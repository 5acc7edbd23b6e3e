import { CloudEvent, dlqTopic, EventCatalog, eventCatalog } from '@switchboard/contracts';
import { quoteIdentifier, SqlExecutor, TransactionRunner } from '@switchboard/persistence';
import { Consumer, ConsumerConfig, EachMessagePayload, IHeaders, Kafka, Producer } from 'kafkajs';
import { errorMessage, MessagingLogger } from './logger';
import { defaultRetryPolicy, retryDelayMs, RetryPolicy } from './retry-policy';

export interface MessageMeta {
  topic: string;
  partition: number;
  offset: string;
  headers: Record<string, string>;
}

/** Applies one event. Runs inside the transaction that also records the event id in the inbox. */
export type EventHandler = (event: CloudEvent, tx: SqlExecutor, meta: MessageMeta) => Promise<void>;

export interface Subscription {
  topic: string;
  handler: EventHandler;
}

export interface EventConsumerOptions {
  kafka: Kafka;
  consumerConfig: ConsumerConfig;
  /** Producer used to park failed messages in `<topic>.dlq`. */
  dlqProducer: Producer;
  db: TransactionRunner;
  schema: string;
  subscriptions: Subscription[];
  logger: MessagingLogger;
  retry?: RetryPolicy;
  catalog?: EventCatalog;
  fromBeginning?: boolean;
}

export type ProcessResult = 'applied' | 'duplicate' | 'dead-lettered';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function headerMap(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) result[name] = Array.isArray(value) ? String(value[0]) : String(value);
  }
  return result;
}

/**
 * Idempotent consumption (P3.3): each event's id is inserted into the inbox in the same transaction as
 * the handler's effects, so a redelivery (after a crash before the offset commit, or a duplicate publish)
 * is recognised and skipped. Offsets are committed only after that transaction, so nothing is lost.
 * A message that keeps failing is retried with back-off and then parked in `<topic>.dlq`.
 */
export class EventConsumer {
  private consumer?: Consumer;
  private stopping = false;
  private readonly handlers = new Map<string, EventHandler>();
  private readonly inboxTable: string;

  constructor(private readonly options: EventConsumerOptions) {
    for (const subscription of options.subscriptions) this.handlers.set(subscription.topic, subscription.handler);
    this.inboxTable = `${quoteIdentifier(options.schema)}.inbox_event`;
  }

  get groupId(): string {
    return this.options.consumerConfig.groupId;
  }

  async start(): Promise<void> {
    this.stopping = false;
    this.consumer = this.options.kafka.consumer(this.options.consumerConfig);
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.handlers.keys()], fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({ autoCommit: true, eachMessage: (payload) => this.onMessage(payload).then(() => undefined) });
  }

  /** Finishes the message in hand, commits offsets and leaves the group (P4.3). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  private async onMessage({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<ProcessResult> {
    const meta: MessageMeta = { topic, partition, offset: message.offset, headers: headerMap(message.headers) };
    const raw = message.value?.toString('utf8') ?? '';
    let event: CloudEvent;
    try {
      event = (this.options.catalog ?? eventCatalog).parse(topic, JSON.parse(raw));
    } catch (error) {
      // A message that breaks the contract will not get better by retrying.
      await this.deadLetter(message.key, raw, meta, `contract: ${errorMessage(error)}`, 0);
      return 'dead-lettered';
    }
    const policy = this.options.retry ?? defaultRetryPolicy;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.applyOnce(event, meta);
      } catch (error) {
        if (this.stopping) throw error; // leave the offset uncommitted; the next owner redelivers it
        if (attempt >= policy.maxAttempts) {
          await this.deadLetter(message.key, raw, meta, errorMessage(error), attempt);
          return 'dead-lettered';
        }
        this.options.logger.warn('consumer: handler failed, retrying', { topic, eventId: event.id, attempt, error: errorMessage(error) });
        await sleep(retryDelayMs(policy, attempt));
        await heartbeat();
      }
    }
  }

  private applyOnce(event: CloudEvent, meta: MessageMeta): Promise<ProcessResult> {
    const handler = this.handlers.get(meta.topic);
    if (!handler) throw new Error(`No handler for topic ${meta.topic}`);
    return this.options.db(async (tx) => {
      const inserted = await tx.$executeRawUnsafe(
        `INSERT INTO ${this.inboxTable} (consumer_group, event_id, topic) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        this.groupId,
        event.id,
        meta.topic,
      );
      if (inserted === 0) return 'duplicate';
      await handler(event, tx, meta);
      return 'applied';
    });
  }

  private async deadLetter(key: Buffer | null, raw: string, meta: MessageMeta, reason: string, attempts: number): Promise<void> {
    this.options.logger.error('consumer: message parked in DLQ', { topic: meta.topic, offset: meta.offset, reason, attempts });
    await this.options.dlqProducer.send({
      topic: dlqTopic(meta.topic),
      acks: -1,
      messages: [
        {
          key,
          value: raw,
          headers: {
            ...meta.headers,
            'x-dlq-original-topic': meta.topic,
            'x-dlq-original-partition': String(meta.partition),
            'x-dlq-original-offset': meta.offset,
            'x-dlq-consumer-group': this.groupId,
            'x-dlq-error': reason.slice(0, 2_000),
            'x-dlq-attempts': String(attempts),
            'x-dlq-failed-at': new Date().toISOString(),
          },
        },
      ],
    });
  }
}
