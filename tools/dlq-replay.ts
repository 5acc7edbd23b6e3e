/**
 * `npm run dlq:replay -- <topic>`: publishes every message parked in `<topic>.dlq` back to `<topic>`
 * once the cause is fixed (P3.3). Uses KAFKA_BROKERS; replay progress is kept in its own consumer group.
 */
import { createKafka, replayDeadLetters } from '@switchboard/messaging/core';
import { parseArgs } from 'node:util';

const consoleLogger = {
  debug: () => undefined,
  info: (msg: string, fields?: object) => console.log(msg, fields ?? ''),
  warn: (msg: string, fields?: object) => console.warn(msg, fields ?? ''),
  error: (msg: string, fields?: object) => console.error(msg, fields ?? ''),
};

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { 'idle-ms': { type: 'string', default: '5000' } } });
  const [topic] = positionals;
  const brokers = process.env['KAFKA_BROKERS']?.split(',').filter(Boolean) ?? [];
  if (!topic || brokers.length === 0) {
    console.error('usage: KAFKA_BROKERS=host:port npm run dlq:replay -- <topic> [--idle-ms 5000]');
    return 2;
  }
  const kafka = createKafka({ brokers, clientId: 'dlq-replay', idempotentProducer: false, consumerMaxWaitMs: 100, sessionTimeoutMs: 10_000 }, consoleLogger);
  const producer = kafka.producer();
  await producer.connect();
  try {
    const replayed = await replayDeadLetters({ kafka, producer, topic, logger: consoleLogger, idleMs: Number(values['idle-ms']) });
    console.log(`replayed ${replayed} message(s) from ${topic}.dlq to ${topic}`);
    return 0;
  } finally {
    await producer.disconnect();
  }
}

main().then((code) => process.exit(code), (error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
