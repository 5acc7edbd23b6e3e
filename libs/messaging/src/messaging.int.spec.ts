import { dlqTopic } from '@switchboard/contracts';
import { deployMigrations } from '@switchboard/persistence/migrate';
import { createTestDatabase, eventually, testInfra, uniqueTopic } from '@switchboard/testing';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Kafka, Producer } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayDeadLetters } from './dlq-replay';
import { EventConsumer, EventHandler } from './event-consumer';
import { consumerConfig } from './kafka-client';
import { silentLogger } from './logger';
import { enqueueEvents } from './outbox';
import { OutboxRelay } from './outbox-relay';
import { agentCatalogOn, agentEvent, createEffectsTable, kafkaSettings, poolFor, TEST_SCHEMA, testKafka } from './test-support/messaging-fixture';

const TENANT_A = '11111111-1111-4111-8111-111111111111';
const TENANT_B = '22222222-2222-4222-8222-222222222222';

describe('messaging: outbox, idempotent consumer, DLQ (P3.3)', () => {
  let drop: () => Promise<void>;
  let databaseUrl: string;
  let pool: pg.Pool;
  let db: ReturnType<typeof poolFor>['db'];
  let kafka: Kafka;
  let producer: Producer;
  let brokers: string[];
  const consumers: EventConsumer[] = [];

  beforeAll(async () => {
    const database = await createTestDatabase('messaging');
    drop = database.drop;
    databaseUrl = database.url;
    await deployMigrations({ service: 'crm-sync', databaseUrl });
    ({ pool, db } = poolFor(databaseUrl));
    await createEffectsTable(pool);
    brokers = (await testInfra()).kafkaBrokers;
    kafka = testKafka(brokers);
    producer = kafka.producer();
    await producer.connect();
  });

  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await producer?.disconnect();
    await pool?.end();
    await drop?.();
  });

  const effectsOf = async (eventId: string) =>
    (await pool.query(`SELECT tenant_id FROM ${TEST_SCHEMA}.test_effect WHERE event_id = $1`, [eventId])).rows as { tenant_id: string }[];

  const recordEffect: EventHandler = async (event, tx) => {
    await tx.$executeRawUnsafe(`INSERT INTO ${TEST_SCHEMA}.test_effect (event_id, tenant_id) VALUES ($1, $2)`, event.id, event.tenantid);
  };

  async function startConsumer(topic: string, groupId: string, handler: EventHandler, maxAttempts = 3): Promise<EventConsumer> {
    const consumer = new EventConsumer({
      kafka,
      consumerConfig: consumerConfig(kafkaSettings(brokers), groupId),
      dlqProducer: producer,
      db,
      schema: TEST_SCHEMA,
      logger: silentLogger,
      retry: { maxAttempts, initialDelayMs: 10, maxDelayMs: 50 },
      catalog: agentCatalogOn(topic),
      subscriptions: [{ topic, handler }],
    });
    consumers.push(consumer);
    await consumer.start();
    return consumer;
  }

  async function readAll(topic: string, count: number) {
    const messages: { key: string; value: string; headers: Record<string, string> }[] = [];
    const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 100, sessionTimeout: 6_000 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        messages.push({ key: String(message.key), value: String(message.value), headers });
      },
    });
    try {
      await eventually(async () => (messages.length >= count ? true : undefined), `${count} messages on ${topic}`, 30_000);
      return messages;
    } finally {
      await consumer.disconnect();
    }
  }

  it('relays committed outbox rows to Kafka in order, keyed by aggregate, and never rolled-back ones', async () => {
    const topic = 'agent.events.v1';
    const sessionId = `relay-${randomUUID()}`;
    const first = agentEvent(TENANT_A, sessionId);
    const second = agentEvent(TENANT_A, sessionId, 'End_Call');
    const rolledBack = agentEvent(TENANT_A, sessionId, 'Agent_Login');
    await db((tx) => enqueueEvents(tx, TEST_SCHEMA, [{ topic, event: first }, { topic, event: second }]));
    await expect(
      db(async (tx) => {
        await enqueueEvents(tx, TEST_SCHEMA, [{ topic, event: rolledBack }]);
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');

    const relay = new OutboxRelay({ db, schema: TEST_SCHEMA, producer, logger: silentLogger });
    expect(await relay.publishPending()).toBe(2);
    expect(await relay.publishPending()).toBe(0);

    const mine = (await readAll(topic, 2)).filter((m) => m.key === sessionId);
    expect(mine.map((m) => JSON.parse(m.value).id)).toEqual([first.id, second.id]);
    expect(mine[0]?.headers['content-type']).toBe('application/cloudevents+json');
  });

  it('refuses to enqueue an event that breaks its contract (producer-side validation)', async () => {
    const bad = { ...agentEvent(TENANT_A, 'x'), data: { nope: true } };
    await expect(db((tx) => enqueueEvents(tx, TEST_SCHEMA, [{ topic: 'agent.events.v1', event: bad }]))).rejects.toThrow(/Invalid data/);
  });

  it('applies an event once, even when it is delivered twice', async () => {
    const topic = uniqueTopic('agent.events.v1');
    const event = agentEvent(TENANT_A, `dup-${randomUUID()}`);
    const consumer = await startConsumer(topic, `g-${randomUUID()}`, recordEffect);
    const send = () => producer.send({ topic, messages: [{ key: event.subject, value: JSON.stringify(event) }] });
    await send();
    await send();
    await eventually(async () => ((await effectsOf(event.id)).length > 0 ? true : undefined), 'first delivery applied', 30_000);
    // Give the second copy time to arrive and be skipped.
    const marker = agentEvent(TENANT_A, `marker-${randomUUID()}`);
    await producer.send({ topic, messages: [{ key: event.subject, value: JSON.stringify(marker) }] });
    await eventually(async () => ((await effectsOf(marker.id)).length > 0 ? true : undefined), 'marker applied', 30_000);
    expect(await effectsOf(event.id)).toHaveLength(1);
    await consumer.stop();
  });

  it('keeps each event under its own tenant (P1.1)', async () => {
    const topic = uniqueTopic('agent.events.v1');
    const a = agentEvent(TENANT_A, `ta-${randomUUID()}`);
    const b = agentEvent(TENANT_B, `tb-${randomUUID()}`);
    const consumer = await startConsumer(topic, `g-${randomUUID()}`, recordEffect);
    await producer.send({ topic, messages: [a, b].map((e) => ({ key: e.subject, value: JSON.stringify(e) })) });
    await eventually(async () => ((await effectsOf(b.id)).length > 0 ? true : undefined), "tenant B's event applied");
    await eventually(async () => ((await effectsOf(a.id)).length > 0 ? true : undefined), "tenant A's event applied");
    expect(await effectsOf(a.id)).toEqual([{ tenant_id: TENANT_A }]);
    expect(await effectsOf(b.id)).toEqual([{ tenant_id: TENANT_B }]);
    await consumer.stop();
  });

  it('parks a message that keeps failing in <topic>.dlq after bounded retries, and replays it once fixed', { timeout: 90_000 }, async () => {
    const topic = uniqueTopic('agent.events.v1');
    const poison = agentEvent(TENANT_A, `poison-${randomUUID()}`);
    let tries = 0;
    let broken = true;
    const consumer = await startConsumer(topic, `g-${randomUUID()}`, async (event, tx, meta) => {
      tries++;
      if (broken) throw new Error('downstream CRM is down');
      await recordEffect(event, tx, meta);
    });
    await producer.send({ topic, messages: [{ key: poison.subject, value: JSON.stringify(poison) }] });
    const [parked] = await readAll(dlqTopic(topic), 1);
    expect(tries).toBe(3);
    expect(JSON.parse(parked?.value ?? '{}').id).toBe(poison.id);
    expect(parked?.headers['x-dlq-error']).toBe('downstream CRM is down');
    expect(parked?.headers['x-dlq-attempts']).toBe('3');
    expect(parked?.headers['x-dlq-original-topic']).toBe(topic);
    expect(await effectsOf(poison.id)).toHaveLength(0);

    broken = false;
    const replayed = await replayDeadLetters({ kafka, producer, topic, logger: silentLogger, idleMs: 1_500 });
    expect(replayed).toBe(1);
    await eventually(async () => ((await effectsOf(poison.id)).length > 0 ? true : undefined), 'replayed event applied', 30_000);
    expect(await effectsOf(poison.id)).toHaveLength(1);
    await consumer.stop();
  });

  it('sends a message that breaks the contract straight to the DLQ', async () => {
    const topic = uniqueTopic('agent.events.v1');
    const consumer = await startConsumer(topic, `g-${randomUUID()}`, recordEffect);
    await producer.send({ topic, messages: [{ key: 'k', value: '{"not":"a cloud event"' }] });
    const [parked] = await readAll(dlqTopic(topic), 1);
    expect(parked?.headers['x-dlq-error']).toMatch(/^contract:/);
    expect(parked?.headers['x-dlq-attempts']).toBe('0');
    await consumer.stop();
  });

  it('loses nothing when the consumer dies between receiving and committing', { timeout: 120_000 }, async () => {
    const topic = uniqueTopic('agent.events.v1');
    const groupId = `g-${randomUUID()}`;
    const event = agentEvent(TENANT_A, `crash-${randomUUID()}`);
    await producer.send({ topic, messages: [{ key: event.subject, value: JSON.stringify(event) }] });

    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'test-support/crash-consumer.ts')], {
      env: { ...process.env, BROKERS: brokers.join(','), DATABASE_URL: databaseUrl, TOPIC: topic, GROUP: groupId },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    expect(output).toContain('received');
    expect(signal).toBe('SIGKILL');
    expect(await effectsOf(event.id)).toHaveLength(0); // the transaction died with the process

    await startConsumer(topic, groupId, recordEffect);
    await eventually(async () => ((await effectsOf(event.id)).length > 0 ? true : undefined), 'redelivery after crash', 45_000);
    expect(await effectsOf(event.id)).toHaveLength(1);
  });
});
