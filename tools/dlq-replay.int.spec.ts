import { dlqTopic } from '@switchboard/contracts';
import { testInfra, uniqueTopic } from '@switchboard/testing';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(__dirname, '..');

describe('npm run dlq:replay (P3.3)', () => {
  it('publishes the messages parked in <topic>.dlq back to <topic>, without the DLQ headers', { timeout: 90_000 }, async () => {
    const { kafkaBrokers } = testInfra();
    const topic = uniqueTopic('agent.events.v1');
    const kafka = new Kafka({ brokers: kafkaBrokers, logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    const value = JSON.stringify({ id: randomUUID() });
    await producer.send({ topic: dlqTopic(topic), messages: [{ key: 'k', value, headers: { 'x-dlq-error': 'boom', 'x-correlation-id': 'c-1' } }] });
    await producer.disconnect();

    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'tools/dlq-replay.ts', topic, '--idle-ms', '1500'], {
      cwd: root,
      env: { ...process.env, KAFKA_BROKERS: kafkaBrokers.join(',') },
    });
    expect(stdout).toContain(`replayed 1 message(s) from ${topic}.dlq to ${topic}`);

    const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 100, sessionTimeout: 6_000 });
    const received: { value: string; headers: Record<string, string> }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) =>
        void received.push({ value: String(message.value), headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])) }),
    });
    try {
      const deadline = Date.now() + 30_000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await consumer.disconnect();
    }
    expect(received).toHaveLength(1);
    expect(received[0]?.value).toBe(value);
    expect(received[0]?.headers['x-correlation-id']).toBe('c-1');
    expect(received[0]?.headers['x-dlq-error']).toBeUndefined();
  });

  it('names what it needs when KAFKA_BROKERS or the topic is missing', async () => {
    const failure = await run(process.execPath, ['--import', 'tsx', 'tools/dlq-replay.ts'], { cwd: root, env: { ...process.env, KAFKA_BROKERS: '' } }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 2, stderr: expect.stringContaining('usage: KAFKA_BROKERS=host:port npm run dlq:replay -- <topic>') });
  });
});
