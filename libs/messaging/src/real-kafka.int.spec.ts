import { Topics } from '@switchboard/contracts';
import { createTestDatabase, testInfra } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createKafka, KafkaSettings, producerConfig } from './kafka-client';
import { silentLogger } from './logger';
import { enqueueEvents } from './outbox';
import { OutboxRelay } from './outbox-relay';
import { agentCatalogOn, agentEvent, createMessagingTables, poolFor, TEST_SCHEMA } from './test-support/messaging-fixture';

const infra = testInfra();
const mockBroker = infra.infraKind.kafka === 'local';
const SKIP_REASON = "needs real Kafka (idempotent producer, topic admin with partition counts), which librdkafka's mock cluster lacks; runs when a container runtime or KAFKA_BROKERS provides one";
if (mockBroker) console.log(`[skip] real-kafka.int.spec.ts: ${SKIP_REASON}`);

/** Behaviour that only a real broker shows: run on testcontainers' Kafka or a KAFKA_BROKERS cluster. */
describe.skipIf(mockBroker)('messaging on real Kafka', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('relays the outbox through an idempotent producer onto a topic with several partitions, keys kept', async () => {
    const settings: KafkaSettings = { brokers: infra.kafkaBrokers, clientId: 'real-kafka-test', idempotentProducer: true, consumerMaxWaitMs: 500, sessionTimeoutMs: 10_000 };
    const kafka = createKafka(settings, silentLogger);
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    const topic = `${Topics.agentEvents}.real-${randomUUID().slice(0, 8)}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
    expect((await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions).toHaveLength(6);

    const database = await createTestDatabase('realkafka');
    cleanups.push(database.drop);
    await createMessagingTables(database.url);
    const { pool, db } = poolFor(database.url);
    cleanups.push(() => pool.end());
    const producer = kafka.producer(producerConfig(settings));
    await producer.connect();
    cleanups.push(() => producer.disconnect());

    const events = Array.from({ length: 20 }, (_, i) => agentEvent('11111111-1111-4111-8111-111111111111', `session-${i % 4}`));
    await db((tx) => enqueueEvents(tx, TEST_SCHEMA, events.map((event) => ({ topic, event })), agentCatalogOn(topic)));
    const relay = new OutboxRelay({ db, schema: TEST_SCHEMA, producer, logger: silentLogger });
    expect(await relay.publishPending()).toBe(20);

    const consumer = kafka.consumer({ groupId: `real-${randomUUID()}`, maxWaitTimeInMs: 500 });
    await consumer.connect();
    cleanups.push(() => consumer.disconnect());
    await consumer.subscribe({ topic, fromBeginning: true });
    const partitionOfKey = new Map<string, Set<number>>();
    let received = 0;
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          const key = String(message.key);
          partitionOfKey.set(key, (partitionOfKey.get(key) ?? new Set()).add(partition));
          if (++received === 20) resolve();
        },
      });
    });
    // One session's events stay on one partition, so they stay in order (P3.2).
    for (const partitions of partitionOfKey.values()) expect(partitions.size).toBe(1);
  }, 120_000);
});
