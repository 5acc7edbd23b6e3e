import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { uniqueTopic } from '../unique-topic';

export interface ReceivedMessage {
  key?: string;
  value?: string;
  trace?: string;
}

/**
 * Sends one keyed message with a header through a kafkajs producer and resolves with what a kafkajs consumer
 * received: the check that a local mock cluster (kcat's or the npm one) carries traffic like Kafka.
 */
export async function kafkaRoundTrip(brokers: string[], clientId: string): Promise<ReceivedMessage> {
  const kafka = new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING });
  const topic = uniqueTopic('testing.mock.v1');
  // The mock has no idempotent producer (controller id 0 bug) — plain producer, auto-created topic.
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: true });
  // The mock does not long-poll: a short maxWaitTimeInMs keeps each fetch fast.
  const consumer = kafka.consumer({ groupId: `${topic}.group`, maxWaitTimeInMs: 100, sessionTimeout: 6_000, heartbeatInterval: 500 });
  try {
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'order-1', value: 'hello mock', headers: { trace: 'abc' } }] });

    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    return await new Promise<ReceivedMessage>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) =>
          resolve({ key: message.key?.toString(), value: message.value?.toString(), trace: message.headers?.['trace']?.toString() }),
      });
    });
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
}
