import { dlqTopic } from '@switchboard/contracts';
import { IHeaders, Kafka, Producer } from 'kafkajs';
import { MessagingLogger } from './logger';

export interface ReplayOptions {
  kafka: Kafka;
  producer: Producer;
  /** The original topic; messages are read from `<topic>.dlq` and published back to it. */
  topic: string;
  logger: MessagingLogger;
  /** Stop when nothing new arrived for this long. */
  idleMs?: number;
  consumerMaxWaitMs?: number;
  sessionTimeoutMs?: number;
}

function withoutDlqHeaders(headers: IHeaders | undefined, offset: string): IHeaders {
  const kept: IHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) if (!name.startsWith('x-dlq-')) kept[name] = value;
  kept['x-replayed-from-dlq-offset'] = offset;
  return kept;
}

/**
 * Publishes parked messages back to their topic once the cause is fixed (P3.3). A dedicated consumer
 * group remembers how far replay got, so running it twice does not replay a message twice; consumers'
 * inboxes make a replayed message that had in fact been applied harmless.
 */
export async function replayDeadLetters(options: ReplayOptions): Promise<number> {
  const source = dlqTopic(options.topic);
  const consumer = options.kafka.consumer({
    groupId: `switchboard.dlq-replay.${options.topic}`,
    maxWaitTimeInMs: options.consumerMaxWaitMs ?? 100,
    sessionTimeout: options.sessionTimeoutMs ?? 10_000,
  });
  const idleMs = options.idleMs ?? 5_000;
  let replayed = 0;
  let lastActivity = Date.now();
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
    lastActivity = Date.now();
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: source, fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      eachMessage: async ({ message }) => {
        await options.producer.send({
          topic: options.topic,
          acks: -1,
          messages: [{ key: message.key, value: message.value, headers: withoutDlqHeaders(message.headers, message.offset) }],
        });
        replayed++;
        lastActivity = Date.now();
      },
    });
    // Group joins are slow on some brokers, so idleness is measured from the join on.
    const giveUpAt = Date.now() + 120_000;
    while ((!joined || Date.now() - lastActivity < idleMs) && Date.now() < giveUpAt) await new Promise((r) => setTimeout(r, 50));
  } finally {
    await consumer.disconnect();
  }
  options.logger.info('dlq replay finished', { topic: options.topic, replayed });
  return replayed;
}
