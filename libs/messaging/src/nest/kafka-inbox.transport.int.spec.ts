import { Controller, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { CatalogEvent, dlqTopic, Topics } from '@switchboard/contracts';
import { SqlExecutor } from '@switchboard/persistence';
import { createTestDatabase, eventually, testInfra, uniqueTopic } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { Kafka, Producer } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentCatalogOn, agentEvent, createEffectsTable, createMessagingTables, kafkaSettings, poolFor, TEST_SCHEMA, testKafka } from '../test-support/messaging-fixture';
import { InboxBatchContext, InboxContext } from './inbox-context';
import { startEventHandlers } from './inbox-bootstrap';
import { MessagingModule } from './messaging.module';

const TOPIC = uniqueTopic(Topics.agentEvents);
const TENANT = '11111111-1111-4111-8111-111111111111';
const END_CALL = 'switchboard.agent.End_Call';

let pool: pg.Pool;
let db: ReturnType<typeof poolFor>['db'];
let brokers: string[];

/** A fresh database with the messaging and effect tables, this run's brokers and a connected producer. */
async function setUpInfra(prefix: string): Promise<{ producer: Producer; kafka: Kafka; teardown: () => Promise<void> }> {
  const database = await createTestDatabase(prefix);
  await createMessagingTables(database.url);
  ({ pool, db } = poolFor(database.url));
  await createEffectsTable(pool);
  brokers = (await testInfra()).kafkaBrokers;
  const kafka = testKafka(brokers);
  const producer = kafka.producer();
  await producer.connect();
  return {
    producer,
    kafka,
    teardown: async () => {
      await producer.disconnect();
      await pool.end();
      await database.drop();
    },
  };
}

/** What the handlers saw, for the assertions. */
const seen: { handler: string; eventId: string; topic: string; sessionId: string }[] = [];

/** A consumer written the way services write them: typed payload, the service's transaction in the context. */
@Controller()
class ProbeConsumer {
  @EventPattern(TOPIC)
  async anyAgentEvent(@Payload() event: CatalogEvent<typeof Topics.agentEvents>, @Ctx() { tx, meta }: InboxContext<SqlExecutor>): Promise<void> {
    await tx.$executeRawUnsafe(`INSERT INTO ${TEST_SCHEMA}.test_effect (event_id, tenant_id) VALUES ($1, $2)`, event.id, event.tenantid);
    seen.push({ handler: 'topic', eventId: event.id, topic: meta.topic, sessionId: event.data.sessionId });
    if (event.data.sessionId.startsWith('poison')) throw new Error(`CRM refused ${event.data.sessionId}`);
  }

  @EventPattern({ topic: TOPIC, type: END_CALL })
  async endCall(@Payload() event: CatalogEvent<typeof Topics.agentEvents, typeof END_CALL>): Promise<void> {
    seen.push({ handler: 'End_Call', eventId: event.id, topic: TOPIC, sessionId: event.data.sessionId });
  }
}

function messagingFor(catalogTopic: string) {
  return MessagingModule.forRootAsync({
    useFactory: () => ({
      serviceName: 'inbox-transport-test',
      consumerGroup: `inbox-transport-${randomUUID()}`,
      schema: TEST_SCHEMA,
      kafka: kafkaSettings(brokers),
      transaction: db,
      catalog: agentCatalogOn(catalogTopic),
      retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 20 },
    }),
  });
}

async function appWith(consumer: new () => unknown): Promise<INestApplication> {
  @Module({ imports: [messagingFor(TOPIC)], controllers: [consumer] })
  class TestModule {}
  return NestFactory.create(TestModule, new FastifyAdapter(), { logger: false });
}

describe('KafkaInboxTransport: @EventPattern handlers served from Kafka through the inbox (P3.3)', () => {
  let app: INestApplication;
  let kafka: Kafka;
  let producer: Producer;
  let teardown: () => Promise<void>;

  beforeAll(async () => {
    ({ kafka, producer, teardown } = await setUpInfra('inbox_nest'));
    app = await appWith(ProbeConsumer);
    await startEventHandlers(app);
  });

  afterAll(async () => {
    await app?.close();
    await teardown?.();
  });

  const send = (...events: ReturnType<typeof agentEvent>[]) =>
    producer.send({ topic: TOPIC, messages: events.map((e) => ({ key: e.subject, value: JSON.stringify(e) })) });
  const effectCount = async (eventId: string) =>
    Number((await pool.query(`SELECT count(*) FROM ${TEST_SCHEMA}.test_effect WHERE event_id = $1`, [eventId])).rows[0].count);
  const inboxCount = async (eventId: string) =>
    Number((await pool.query(`SELECT count(*) FROM ${TEST_SCHEMA}.inbox_event WHERE event_id = $1`, [eventId])).rows[0].count);

  it('hands the handler the parsed event and the transaction that also writes the inbox row', async () => {
    const event = agentEvent(TENANT, `ok-${randomUUID()}`);
    await send(event);
    await eventually(async () => ((await effectCount(event.id)) === 1 ? true : undefined), 'effect written', 30_000);
    expect(await inboxCount(event.id)).toBe(1);
    expect(seen.filter((s) => s.eventId === event.id)).toEqual([{ handler: 'topic', eventId: event.id, topic: TOPIC, sessionId: event.subject }]);
  });

  it('routes an event to the handler of its type when there is one, otherwise to the topic handler', async () => {
    const session = `route-${randomUUID()}`;
    const [started, ended] = [agentEvent(TENANT, session, 'New_Call'), agentEvent(TENANT, session, 'End_Call')];
    await send(started, ended);
    await eventually(async () => (seen.some((s) => s.eventId === ended.id) ? true : undefined), 'End_Call handled', 30_000);
    expect(seen.filter((s) => s.sessionId === session).map((s) => s.handler)).toEqual(['topic', 'End_Call']);
  });

  it('retries a failing handler and parks the event in <topic>.dlq with the handler\'s own error; its writes are rolled back', async () => {
    const poison = agentEvent(TENANT, `poison-${randomUUID()}`);
    const reader = kafka.consumer({ groupId: `dlq-reader-${randomUUID()}`, maxWaitTimeInMs: 100, sessionTimeout: 6_000 });
    const parked: Record<string, string>[] = [];
    await reader.connect();
    await reader.subscribe({ topic: dlqTopic(TOPIC), fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void parked.push(Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]))) });
    try {
      await send(poison);
      await eventually(async () => (parked.length > 0 ? true : undefined), 'poison parked', 30_000);
    } finally {
      await reader.disconnect();
    }
    expect(parked[0]?.['x-dlq-error']).toBe(`CRM refused ${poison.subject}`);
    expect(parked[0]?.['x-dlq-attempts']).toBe('2');
    expect(seen.filter((s) => s.eventId === poison.id)).toHaveLength(2);
    expect(await effectCount(poison.id)).toBe(0);
    expect(await inboxCount(poison.id)).toBe(0);
  });
});

const BATCH_TOPIC = uniqueTopic(Topics.agentEvents);

/** A batch handler: `@Payload()` is an array of consecutive events, `@Ctx()` carries their metas. */
@Controller()
class BatchConsumer {
  static readonly calls: { ids: string[]; offsets: string[] }[] = [];

  @EventPattern(BATCH_TOPIC, { batch: true })
  async all(@Payload() events: CatalogEvent<typeof Topics.agentEvents>[], @Ctx() { tx, metas }: InboxBatchContext<SqlExecutor>): Promise<void> {
    BatchConsumer.calls.push({ ids: events.map((e) => e.id), offsets: metas.map((m) => m.offset) });
    await tx.$executeRawUnsafe(
      `INSERT INTO ${TEST_SCHEMA}.test_effect (event_id, tenant_id) SELECT * FROM unnest($1::text[], $2::text[])`,
      events.map((e) => e.id),
      events.map((e) => e.tenantid),
    );
  }
}

describe('KafkaInboxTransport batch handlers: @EventPattern(topic, { batch: true })', () => {
  let app: INestApplication;
  let producer: Producer;
  let teardown: () => Promise<void>;

  beforeAll(async () => {
    ({ producer, teardown } = await setUpInfra('inbox_batch'));
    @Module({ imports: [messagingFor(BATCH_TOPIC)], controllers: [BatchConsumer] })
    class BatchModule {}
    app = await NestFactory.create(BatchModule, new FastifyAdapter(), { logger: false });
  });

  afterAll(async () => {
    await app?.close();
    await teardown?.();
  });

  it('hands a batch handler the events of a fetch in order, in a few calls, with their metas', async () => {
    const events = Array.from({ length: 80 }, (_, i) => agentEvent(TENANT, `batch-${i}`));
    await producer.send({ topic: BATCH_TOPIC, messages: events.map((e) => ({ key: 'one-session', value: JSON.stringify(e) })) });
    await startEventHandlers(app);
    await eventually(async () => (BatchConsumer.calls.flatMap((c) => c.ids).length >= 80 ? true : undefined), '80 events handled', 30_000);
    expect(BatchConsumer.calls.flatMap((c) => c.ids)).toEqual(events.map((e) => e.id));
    expect(BatchConsumer.calls.length).toBeLessThanOrEqual(2);
    expect(BatchConsumer.calls.flatMap((c) => c.offsets).map(Number)).toEqual(events.map((_, i) => i));
    const stored = await pool.query(`SELECT count(*) FROM ${TEST_SCHEMA}.test_effect WHERE event_id = ANY($1)`, [events.map((e) => e.id)]);
    expect(Number(stored.rows[0].count)).toBe(80);
  });
});

describe('KafkaInboxTransport refuses at start-up what it cannot serve, in one line', () => {
  beforeAll(async () => {
    brokers = (await testInfra()).kafkaBrokers;
  });

  @Controller()
  class TypoInTopic {
    @EventPattern('agent.event.v1')
    handle(): void {
      throw new Error('never called: start-up refuses this handler');
    }
  }

  @Controller()
  class UnknownType {
    @EventPattern({ topic: TOPIC, type: 'switchboard.agent.New_Cal' })
    handle(): void {
      throw new Error('never called: start-up refuses this handler');
    }
  }

  @Controller()
  class RequestReply {
    @MessagePattern(TOPIC)
    handle(): void {
      throw new Error('never called: start-up refuses this handler');
    }
  }

  it.each([
    ['a topic missing from the contracts catalog', TypoInTopic, /^cannot subscribe event handlers: @EventPattern\(agent\.event\.v1\): topic "agent\.event\.v1" is not in the contracts catalog/],
    ['an event type its topic does not carry', UnknownType, /event type "switchboard\.agent\.New_Cal" is not carried on agent\.events\.v1\.t-/],
    ['a request/reply @MessagePattern', RequestReply, /only @EventPattern handlers are served/],
  ])('%s', async (_case, consumer, message) => {
    const app = await appWith(consumer);
    try {
      const failure = await startEventHandlers(app).then(
        () => undefined,
        (error: Error) => error,
      );
      expect(failure?.message).toMatch(message);
      expect(failure?.message).not.toContain('\n');
    } finally {
      await app.close();
    }
  });
});
