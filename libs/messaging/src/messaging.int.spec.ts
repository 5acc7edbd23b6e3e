import { dlqTopic } from '@switchboard/contracts';
import { listenForNotifications, SqlExecutor } from '@switchboard/persistence';
import { createTestDatabase, eventually, testInfra, uniqueTopic } from '@switchboard/testing';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Kafka, Producer } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayDeadLetters } from './dlq-replay';
import { InboxBatchHandler, InboxConsumer, InboxHandler, InboxRoute } from './inbox/inbox-consumer';
import { consumerConfig } from './kafka-client';
import { silentLogger } from './logger';
import { enqueueEvents } from './outbox';
import { OutboxRelay } from './outbox-relay';
import {
  agentCatalogOn,
  agentEvent,
  createEffectsTable,
  createMessagingTables,
  kafkaSettings,
  poolFor,
  TEST_SCHEMA,
  testKafka,
} from './test-support/messaging-fixture';

const TENANT_A = '11111111-1111-4111-8111-111111111111';
const TENANT_B = '22222222-2222-4222-8222-222222222222';

type Handler = InboxHandler<SqlExecutor>;

describe('messaging: outbox, idempotent batched consumer, DLQ (P3.3)', () => {
  let drop: () => Promise<void>;
  let databaseUrl: string;
  let pool: pg.Pool;
  let db: ReturnType<typeof poolFor>['db'];
  let kafka: Kafka;
  let producer: Producer;
  let brokers: string[];
  const consumers: InboxConsumer<SqlExecutor>[] = [];

  beforeAll(async () => {
    const database = await createTestDatabase('messaging');
    drop = database.drop;
    databaseUrl = database.url;
    await createMessagingTables(databaseUrl);
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
  const effectsIn = async (eventIds: string[]) =>
    (
      await pool.query(`SELECT event_id, tenant_id, xmin::text AS tx FROM ${TEST_SCHEMA}.test_effect WHERE event_id = ANY($1) ORDER BY seq`, [
        eventIds,
      ])
    ).rows as { event_id: string; tenant_id: string; tx: string }[];
  const applied = (eventIds: string[]) => async () => ((await effectsIn(eventIds)).length >= eventIds.length ? true : undefined);

  const recordEffect: Handler = async (event, tx) => {
    await tx.$executeRawUnsafe(`INSERT INTO ${TEST_SCHEMA}.test_effect (event_id, tenant_id) VALUES ($1, $2)`, event.id, event.tenantid);
  };

  function consumerOf(
    groupId: string,
    topics: string[],
    route?: InboxRoute<SqlExecutor>,
    overrides: { inboxRetentionHours?: number; maxBatchSize?: number; stopTimeoutMs?: number } = {},
  ) {
    const consumer = new InboxConsumer<SqlExecutor>({
      kafka,
      consumerConfig: consumerConfig(kafkaSettings(brokers), groupId),
      dlqProducer: producer,
      transaction: db,
      schema: TEST_SCHEMA,
      logger: silentLogger,
      retry: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 50 },
      catalog: agentCatalogOn(topics[0] ?? 'unused'),
      topics,
      route: () => route,
      inboxRetentionHours: overrides.inboxRetentionHours,
      maxBatchSize: overrides.maxBatchSize,
      stopTimeoutMs: overrides.stopTimeoutMs,
    });
    consumers.push(consumer);
    return consumer;
  }

  async function startConsumer(topic: string, groupId: string, handler: Handler) {
    const consumer = consumerOf(groupId, [topic], { each: handler });
    await consumer.start();
    return consumer;
  }

  const send = (topic: string, events: ReturnType<typeof agentEvent>[], key?: string) =>
    producer.send({ topic, messages: events.map((e) => ({ key: key ?? e.subject, value: JSON.stringify(e) })) });

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

  it('relays in commit order across a change in the number of digits of seq (9,999 → 10,000)', async () => {
    const topic = uniqueTopic('agent.events.v1');
    const catalog = agentCatalogOn(topic);
    const relay = new OutboxRelay({ db, schema: TEST_SCHEMA, producer, logger: silentLogger });
    while ((await relay.publishPending()) > 0);
    // A fresh test database is far below 9,995; ordering seq as text would send 10,000 before 9,996.
    await pool.query(`SELECT setval(pg_get_serial_sequence('${TEST_SCHEMA}.outbox_event', 'seq'), 9995)`);
    const sessionId = `digits-${randomUUID()}`;
    const events = Array.from({ length: 10 }, () => agentEvent(TENANT_A, sessionId));
    await db((tx) => enqueueEvents(tx, TEST_SCHEMA, events.map((event) => ({ topic, event })), catalog));
    while ((await relay.publishPending()) > 0);
    const sent = (await readAll(topic, events.length)).map((message) => JSON.parse(message.value).id);
    expect(sent).toEqual(events.map((event) => event.id));
  });

  it('relays at least once: rows of a send Kafka refused stay unpublished, and the running relay retries them (P3.3)', async () => {
    const topic = uniqueTopic('agent.events.v1');
    const catalog = agentCatalogOn(topic);
    const drain = new OutboxRelay({ db, schema: TEST_SCHEMA, producer, logger: silentLogger });
    while ((await drain.publishPending()) > 0);
    const late = kafka.producer(); // not connected yet: every send fails
    const warnings: string[] = [];
    const relay = new OutboxRelay({ db, schema: TEST_SCHEMA, producer: late, logger: { ...silentLogger, warn: (message) => warnings.push(message) } });
    const event = agentEvent(TENANT_A, `refused-${randomUUID()}`);
    await db((tx) => enqueueEvents(tx, TEST_SCHEMA, [{ topic, event }], catalog));
    const publishedAt = async () => (await pool.query(`SELECT published_at FROM ${TEST_SCHEMA}.outbox_event WHERE id = $1`, [event.id])).rows[0]?.published_at;

    await expect(relay.publishPending()).rejects.toThrow('disconnected');
    expect(await publishedAt()).toBeNull();
    relay.start();
    try {
      await eventually(async () => (warnings.length > 0 ? true : undefined), 'a failed round logged');
      expect(warnings[0]).toMatch(/outbox relay: round failed; retrying in 1000 ms/);
      await late.connect();
      const [message] = await readAll(topic, 1);
      expect(JSON.parse(message?.value ?? '{}').id).toBe(event.id);
      await eventually(async () => ((await publishedAt()) ? true : undefined), 'the row marked published');
    } finally {
      await relay.stop();
      await late.disconnect();
    }
  });

  it('wakes on the commit of outbox rows written by any connection (NOTIFY), not at its next poll', async () => {
    const topic = uniqueTopic('agent.events.v1');
    const catalog = agentCatalogOn(topic);
    const relay = new OutboxRelay({
      db,
      schema: TEST_SCHEMA,
      producer,
      logger: silentLogger,
      // A poll far beyond the test's timeout: only the notification can make it publish in time.
      pollIntervalMs: 10 * 60_000,
      listen: (channel, onNotify) => listenForNotifications(pool, channel, onNotify),
    });
    const elsewhere = poolFor(databaseUrl);
    relay.start();
    try {
      // Let the first round find nothing and go idle, then commit from an unrelated connection.
      await eventually(async () => ((await relay.publishPending()) === 0 ? true : undefined), 'the relay idle');
      const event = agentEvent(TENANT_A, `notify-${randomUUID()}`);
      await elsewhere.db((tx) => enqueueEvents(tx, TEST_SCHEMA, [{ topic, event }], catalog));
      const [message] = await readAll(topic, 1);
      expect(JSON.parse(message?.value ?? '{}').id).toBe(event.id);
    } finally {
      await relay.stop();
      await elsewhere.pool.end();
    }
  });

  it('commits skip their NOTIFY while the relay is busy, and notify again once a round found nothing', async () => {
    const topic = uniqueTopic('agent.events.v1');
    const catalog = agentCatalogOn(topic);
    const relay = new OutboxRelay({ db, schema: TEST_SCHEMA, producer, logger: silentLogger });
    let heard = 0;
    const listener = await listenForNotifications(pool, `outbox_${TEST_SCHEMA}`, () => heard++);
    const commitOne = () => db((tx) => enqueueEvents(tx, TEST_SCHEMA, [{ topic, event: agentEvent(TENANT_A, `busy-${randomUUID()}`) }], catalog));
    try {
      while ((await relay.publishPending()) > 0);
      await commitOne();
      expect(await relay.publishPending()).toBe(1); // a round with rows: busy from now on
      await eventually(async () => (heard > 0 ? true : undefined), 'the notification of the commit made while idle');
      heard = 0;
      await commitOne();
      await commitOne();
      // NOTIFY is delivered with the commit, so a notification would be here by the time a query answers.
      await pool.query('SELECT pg_sleep(0.2)');
      expect(heard).toBe(0);
      expect(await relay.publishPending()).toBe(2);
      expect(await relay.publishPending()).toBe(0); // nothing found: idle again
      await commitOne();
      await eventually(async () => (heard > 0 ? true : undefined), 'a notification once the relay is idle');
      await relay.publishPending();
    } finally {
      await listener.close();
    }
  });

  it('refuses to enqueue an event that breaks its contract (producer-side validation)', async () => {
    const bad = { ...agentEvent(TENANT_A, 'x'), data: { nope: true } };
    await expect(db((tx) => enqueueEvents(tx, TEST_SCHEMA, [{ topic: 'agent.events.v1', event: bad }]))).rejects.toThrow(/Invalid data/);
  });

  it('applies an event once, even when it is delivered twice, also within one batch', async () => {
    const topic = uniqueTopic('agent.events.v1');
    const event = agentEvent(TENANT_A, `dup-${randomUUID()}`);
    const marker = agentEvent(TENANT_A, `marker-${randomUUID()}`);
    // Sent before the consumer starts, so all three arrive in one batch of one partition (same key).
    await send(topic, [event, event, marker], 'one-key');
    await startConsumer(topic, `g-${randomUUID()}`, recordEffect);
    await eventually(applied([event.id, marker.id]), 'first copy and marker applied', 30_000);
    await send(topic, [event], 'one-key');
    const late = agentEvent(TENANT_A, `late-${randomUUID()}`);
    await send(topic, [late], 'one-key');
    await eventually(applied([late.id]), 'a later marker applied', 30_000);
    expect(await effectsOf(event.id)).toHaveLength(1);
  });

  it('P4.3 stops by its deadline while a handler is stuck; the event is applied once, by the next owner', { timeout: 90_000 }, async () => {
    const topic = uniqueTopic('agent.events.v1');
    const groupId = `g-${randomUUID()}`;
    const event = agentEvent(TENANT_A, `stuck-${randomUUID()}`);
    let release: (error: Error) => void = () => undefined;
    let entered = false;
    const stuck = consumerOf(groupId, [topic], {
      each: () => {
        entered = true;
        return new Promise<void>((_resolve, reject) => (release = reject)); // e.g. waiting on a lock
      },
    }, { stopTimeoutMs: 500 });
    await stuck.start();
    await send(topic, [event]);
    await eventually(async () => entered || undefined, 'the handler holds the event', 30_000);

    const stopping = Date.now();
    await stuck.stop();
    expect(Date.now() - stopping).toBeLessThan(5_000);

    release(new Error('lock wait ended')); // its transaction rolls back; nothing was committed for the event
    await startConsumer(topic, groupId, recordEffect);
    await eventually(applied([event.id]), 'applied by the next owner of the partition', 60_000);
    expect(await effectsOf(event.id)).toHaveLength(1);
  });

  it('applies a batch in one transaction per partition, in the order sent (P3.3)', async () => {
    const topic = uniqueTopic('agent.events.v1');
    const events = Array.from({ length: 120 }, (_, i) => agentEvent(TENANT_A, `order-${i}`));
    await send(topic, events, 'one-session');
    await startConsumer(topic, `g-${randomUUID()}`, recordEffect);
    const ids = events.map((e) => e.id);
    await eventually(applied(ids), '120 events applied', 30_000);
    const effects = await effectsIn(ids);
    expect(effects.map((e) => e.event_id)).toEqual(ids);
    // Rows written by one transaction share its id (xmin); per-event transactions would give 120.
    expect(new Set(effects.map((e) => e.tx)).size).toBeLessThanOrEqual(3);
  });

  it('applies at most maxBatchSize events per transaction, in order', async () => {
    const topic = uniqueTopic('agent.events.v1');
    const events = Array.from({ length: 120 }, (_, i) => agentEvent(TENANT_A, `chunk-${i}`));
    await send(topic, events, 'one-session');
    await consumerOf(`g-${randomUUID()}`, [topic], { each: recordEffect }, { maxBatchSize: 50 }).start();
    const ids = events.map((e) => e.id);
    await eventually(applied(ids), '120 events applied', 30_000);
    const effects = await effectsIn(ids);
    expect(effects.map((e) => e.event_id)).toEqual(ids);
    const perTransaction = new Map<string, number>();
    for (const effect of effects) perTransaction.set(effect.tx, (perTransaction.get(effect.tx) ?? 0) + 1);
    expect(perTransaction.size).toBeGreaterThanOrEqual(3);
    expect(Math.max(...perTransaction.values())).toBeLessThanOrEqual(50);
  });

  const recordEffects: InboxBatchHandler<SqlExecutor> = async (events, tx) => {
    await tx.$executeRawUnsafe(
      `INSERT INTO ${TEST_SCHEMA}.test_effect (event_id, tenant_id) SELECT * FROM unnest($1::text[], $2::text[])`,
      events.map((e) => e.id),
      events.map((e) => e.tenantid),
    );
  };

  async function startBatchConsumer(topic: string, handler: InboxBatchHandler<SqlExecutor>) {
    await consumerOf(`g-${randomUUID()}`, [topic], { batch: handler }).start();
  }

  it('gives a batch handler runs of consecutive events in one call, in order, duplicates left out', async () => {
    const topic = uniqueTopic('agent.events.v1');
    const events = Array.from({ length: 150 }, (_, i) => agentEvent(TENANT_A, `run-${i}`));
    const calls: number[] = [];
    await send(topic, [...events, events[7]], 'one-session');
    await startBatchConsumer(topic, async (batch, tx, metas) => {
      calls.push(batch.length);
      expect(metas.map((m) => m.topic)).toEqual(batch.map(() => topic));
      await recordEffects(batch, tx, metas);
    });
    const ids = events.map((e) => e.id);
    await eventually(applied(ids), '150 events applied', 30_000);
    expect((await effectsIn(ids)).map((e) => e.event_id)).toEqual(ids);
    expect(calls.reduce((a, b) => a + b, 0)).toBe(150);
    expect(calls.length).toBeLessThanOrEqual(3);
  });

  it('retries the events of a failing batch call one by one: the good ones are applied, the bad one parked', { timeout: 60_000 }, async () => {
    const topic = uniqueTopic('agent.events.v1');
    const events = Array.from({ length: 10 }, (_, i) => agentEvent(TENANT_A, `batch-${i}`));
    const poison = events[4];
    await send(topic, events, 'one-session');
    await startBatchConsumer(topic, async (batch, tx, metas) => {
      if (batch.some((e) => e.id === poison.id)) throw new Error('one bad event in the run');
      await recordEffects(batch, tx, metas);
    });
    const [parked] = await readAll(dlqTopic(topic), 1);
    expect(JSON.parse(parked?.value ?? '{}').id).toBe(poison.id);
    expect(parked?.headers['x-dlq-attempts']).toBe('3');
    const good = events.filter((e) => e !== poison).map((e) => e.id);
    await eventually(applied(good), 'the rest applied', 30_000);
    expect((await effectsIn(events.map((e) => e.id))).map((e) => e.event_id)).toEqual(good);
  });

  it('P1.1 applies interleaved events of two tenants each under its own tenant, none swapped or lost', async () => {
    const topic = uniqueTopic('agent.events.v1');
    const events = Array.from({ length: 60 }, (_, i) => agentEvent(i % 3 === 0 ? TENANT_B : TENANT_A, `tenants-${i}`));
    await send(topic, events, 'shared-key');
    await startConsumer(topic, `g-${randomUUID()}`, recordEffect);
    await eventually(applied(events.map((e) => e.id)), 'all applied', 30_000);
    const stored = new Map((await effectsIn(events.map((e) => e.id))).map((row) => [row.event_id, row.tenant_id]));
    expect(stored).toEqual(new Map(events.map((e) => [e.id, e.tenantid])));
  });

  it('isolates a failing event: the rest of its batch is applied in order, it is retried, then parked in <topic>.dlq and replayed once fixed', { timeout: 90_000 }, async () => {
    const topic = uniqueTopic('agent.events.v1');
    const before = agentEvent(TENANT_A, `before-${randomUUID()}`);
    const poison = agentEvent(TENANT_A, `poison-${randomUUID()}`);
    const after = agentEvent(TENANT_A, `after-${randomUUID()}`);
    await send(topic, [before, poison, after], 'one-key');
    let tries = 0;
    let broken = true;
    await startConsumer(topic, `g-${randomUUID()}`, async (event, tx, meta) => {
      if (event.id === poison.id) {
        tries++;
        if (broken) throw new Error('downstream CRM is down');
      }
      await recordEffect(event, tx, meta);
    });
    const [parked] = await readAll(dlqTopic(topic), 1);
    expect(tries).toBe(3);
    expect(JSON.parse(parked?.value ?? '{}').id).toBe(poison.id);
    expect(parked?.headers['x-dlq-error']).toBe('downstream CRM is down');
    expect(parked?.headers['x-dlq-attempts']).toBe('3');
    expect(parked?.headers['x-dlq-original-topic']).toBe(topic);
    await eventually(applied([before.id, after.id]), 'the neighbours applied', 30_000);
    expect((await effectsIn([before.id, poison.id, after.id])).map((e) => e.event_id)).toEqual([before.id, after.id]);

    broken = false;
    const replayed = await replayDeadLetters({ kafka, producer, topic, logger: silentLogger, idleMs: 1_500 });
    expect(replayed).toBe(1);
    await eventually(applied([poison.id]), 'replayed event applied', 30_000);
    expect(await effectsOf(poison.id)).toHaveLength(1);
  });

  it('sends a message that breaks the contract straight to the DLQ', async () => {
    const topic = uniqueTopic('agent.events.v1');
    await startConsumer(topic, `g-${randomUUID()}`, recordEffect);
    await producer.send({ topic, messages: [{ key: 'k', value: '{"not":"a cloud event"' }] });
    const [parked] = await readAll(dlqTopic(topic), 1);
    expect(parked?.headers['x-dlq-error']).toMatch(/^contract:/);
    expect(parked?.headers['x-dlq-attempts']).toBe('0');
  });

  it('deletes inbox rows past their retention and keeps the rest', async () => {
    const group = `g-${randomUUID()}`;
    const [oldId, newId] = [randomUUID(), randomUUID()];
    await pool.query(
      `INSERT INTO ${TEST_SCHEMA}.inbox_event (consumer_group, event_id, topic, processed_at)
       VALUES ($1, $2, 't', now() - interval '15 days'), ($1, $3, 't', now())`,
      [group, oldId, newId],
    );
    const consumer = consumerOf(group, [], undefined, { inboxRetentionHours: 14 * 24 });
    expect(await consumer.deleteExpiredInboxRows()).toBeGreaterThanOrEqual(1);
    const left = await pool.query(`SELECT event_id FROM ${TEST_SCHEMA}.inbox_event WHERE consumer_group = $1`, [group]);
    expect(left.rows).toEqual([{ event_id: newId }]);
  });

  it('deletes published outbox rows past their retention, keeps recent and unpublished ones', async () => {
    const topic = uniqueTopic('agent.events.v1');
    const relay = new OutboxRelay({ db, schema: TEST_SCHEMA, producer, logger: silentLogger, retentionHours: 72 });
    while ((await relay.publishPending()) > 0);
    const [expired, recent, unpublished] = [randomUUID(), randomUUID(), randomUUID()];
    await pool.query(
      `INSERT INTO ${TEST_SCHEMA}.outbox_event (id, topic, key, envelope, published_at)
       VALUES ($1, $4, 'k', '{}', now() - interval '73 hours'), ($2, $4, 'k', '{}', now() - interval '71 hours'),
              ($3, $4, 'k', '{}', NULL)`,
      [expired, recent, unpublished, topic],
    );
    expect(await relay.deleteExpiredOutboxRows()).toBeGreaterThanOrEqual(1);
    const left = await pool.query(`SELECT id::text FROM ${TEST_SCHEMA}.outbox_event WHERE id = ANY($1) ORDER BY seq`, [[expired, recent, unpublished]]);
    expect(left.rows.map((row) => row.id)).toEqual([recent, unpublished]);
    await pool.query(`DELETE FROM ${TEST_SCHEMA}.outbox_event WHERE id = $1`, [unpublished]); // not for other tests' relays
  });

  it('loses nothing when the consumer dies between receiving and committing', { timeout: 120_000 }, async () => {
    const topic = uniqueTopic('agent.events.v1');
    const groupId = `g-${randomUUID()}`;
    const event = agentEvent(TENANT_A, `crash-${randomUUID()}`);
    await send(topic, [event]);

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
    await eventually(applied([event.id]), 'redelivery after crash', 45_000);
    expect(await effectsOf(event.id)).toHaveLength(1);
  });
});
