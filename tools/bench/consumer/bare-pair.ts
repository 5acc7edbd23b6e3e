/**
 * The consumer benchmark's baseline, as its own process: a bare kafkajs producer sends the run's events
 * and a bare kafkajs consumer (same fetch settings as the services) writes each fetched batch into a copy
 * of crm-sync's agent_event_log with one multi-row INSERT. No outbox, no relay, no inbox, no contract
 * checks, no framework: the floor that the platform's pipeline is compared with. The pipeline's topic has
 * other consumer groups too (event-bridge's agent streams read every agent event): as many side groups
 * (BARE_SIDE_GROUPS) read the bare topic alongside, each recording the ids it read, so that both sides run
 * the same number of consumers on the same two cores. The run ends when the log has every event, as in the pipeline.
 *
 * Protocol on stdio: prints {"ready":true} once its consumer has joined the group; then, for every line
 * {"runId":…,"events":…} on stdin (one per benchmark round), sends that run's events, prints
 * {"done":{"elapsedMs":…,"producedMs":…}} once they are all stored, and waits for the next line; exits on SIGTERM.
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { type Consumer, Kafka, logLevel, Partitioners } from 'kafkajs';
import pg from 'pg';
import { benchEvents } from './bench-events';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const SEND_BATCH = 1_000;
/**
 * librdkafka's mock broker keeps about 5 MB per partition and drops older records: a producer far ahead
 * of its consumer would lose messages there. The producer stays at most this many messages ahead.
 */
const MAX_AHEAD = 8_000;

async function main(): Promise<void> {
  const topic = env('BARE_TOPIC');
  const table = env('BARE_TABLE');
  const sideTable = env('BARE_SIDE_TABLE');
  const sideGroups = Number(env('BARE_SIDE_GROUPS'));
  const pool = new pg.Pool({ connectionString: env('BARE_DATABASE_URL'), max: 10, application_name: 'bench-bare-pair' });
  const kafka = new Kafka({ brokers: env('BARE_BROKERS').split(','), clientId: 'bench-bare-pair', logLevel: logLevel.ERROR });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const consumerOf = () =>
    kafka.consumer({ groupId: `bench-bare-${randomUUID()}`, maxWaitTimeInMs: Number(env('BARE_MAX_WAIT_MS')), sessionTimeout: 10_000 });
  const consumer = consumerOf();
  const sideConsumers = Array.from({ length: sideGroups }, consumerOf);

  // Per round: rows the round has stored so far, and its size (rounds run one after the other).
  let inserted = 0;
  let count = 0;
  let finish: () => void = () => undefined;
  let progressed: () => void = () => undefined;
  const caughtUpTo = async (sent: number) => {
    while (sent - inserted > MAX_AHEAD) await new Promise<void>((resolve) => (progressed = resolve));
  };
  const joinedGroup = (member: Consumer) => new Promise<void>((resolve) => member.on(member.events.GROUP_JOIN, () => resolve()));
  const joined = Promise.all([consumer, ...sideConsumers].map(joinedGroup));
  await Promise.all([producer.connect(), consumer.connect(), ...sideConsumers.map((side) => side.connect())]);
  await Promise.all([consumer, ...sideConsumers].map((member) => member.subscribe({ topic, fromBeginning: true })));
  for (const side of sideConsumers) {
    await side.run({
      partitionsConsumedConcurrently: Number(env('BARE_CONCURRENCY')),
      eachBatch: async ({ batch }) => {
        const ids = batch.messages.map((message) => (JSON.parse(message.value?.toString('utf8') ?? '{}') as { id: string }).id);
        await pool.query(`INSERT INTO ${sideTable} (event_id) SELECT * FROM unnest($1::text[]) ON CONFLICT DO NOTHING`, [ids]);
      },
    });
  }
  await consumer.run({
    partitionsConsumedConcurrently: Number(env('BARE_CONCURRENCY')),
    eachBatch: async ({ batch }) => {
      const rows = batch.messages.map((message) => JSON.parse(message.value?.toString('utf8') ?? '{}'));
      // At-least-once like any bare consumer: a redelivered batch (after a rebalance) inserts nothing twice.
      const { rowCount } = await pool.query(
        `INSERT INTO ${table} (event_id, tenant_id, adapter_event_type, session_id, occurred_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
         ON CONFLICT DO NOTHING`,
        [
          rows.map((event) => event.id),
          rows.map((event) => event.tenantid),
          rows.map((event) => event.data.adapterEventType),
          rows.map((event) => event.data.sessionId),
          rows.map((event) => event.time),
        ],
      );
      inserted += rowCount ?? 0;
      progressed();
      if (inserted >= count) finish();
    },
  });
  // The consumers join in the background; a message sent before they joined would still be read
  // (fromBeginning), but the clock must not include the joins.
  await joined;
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  const runRound = async (line: string) => {
    const round = JSON.parse(line) as { runId: number; events: number };
    const events = benchEvents(round.runId, round.events, env('BARE_TENANT'));
    [inserted, count] = [0, round.events];
    const allInserted = new Promise<void>((resolve) => (finish = resolve));
    const started = performance.now();
    for (let start = 0; start < count; start += SEND_BATCH) {
      await caughtUpTo(start);
      const slice = events.slice(start, start + SEND_BATCH);
      await producer.send({ topic, acks: -1, messages: slice.map((event) => ({ key: event.subject, value: JSON.stringify(event) })) });
    }
    const producedMs = performance.now() - started;
    await allInserted;
    const elapsedMs = performance.now() - started;
    process.stdout.write(`${JSON.stringify({ done: { elapsedMs, producedMs } })}\n`);
  };
  // Rounds run one after the other; connections stay open between them and until the parent stops this
  // process (SIGTERM, or its end of stdin closing): it reads their CPU time first.
  const lines = createInterface({ input: process.stdin, terminal: false });
  const ended = new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    lines.once('close', () => resolve());
  });
  let rounds = Promise.resolve();
  lines.on('line', (line) => (rounds = rounds.then(() => runRound(line)).catch(failed)));
  await ended;
  await Promise.all([consumer.disconnect(), ...sideConsumers.map((side) => side.disconnect()), producer.disconnect(), pool.end()]);
}

function failed(error: unknown): never {
  process.stderr.write(`bare pair failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
}

main().then(() => process.exit(0), failed);
