import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KcatNotInstalledError, type MockKafka, startMockKafka } from './kafka-mock';
import { kafkaRoundTrip } from './test-support/kafka-round-trip';

function acceptsConnections(broker: string): Promise<boolean> {
  const [host, port] = broker.split(':');
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('kcat mock Kafka cluster (P4.4 local runs without Docker)', () => {
  let mock: MockKafka | undefined;
  let missingKcat: string | undefined;

  beforeAll(async () => {
    try {
      mock = await startMockKafka();
    } catch (error) {
      if (!(error instanceof KcatNotInstalledError)) throw error;
      missingKcat = error.message;
      console.warn(`[kafka-mock.int.spec] skipped: ${missingKcat}`);
    }
  });

  afterAll(async () => {
    await mock?.stop();
  });

  function started(): MockKafka {
    if (!mock) throw new Error('the mock cluster did not start in beforeAll');
    return mock;
  }

  it('prints a loopback bootstrap address that accepts connections', async (ctx) => {
    ctx.skip(missingKcat !== undefined, missingKcat);
    expect(started().brokers).toEqual([expect.stringMatching(/^127\.0\.0\.1:\d+$/)]);
    expect(await acceptsConnections(started().brokers[0])).toBe(true);
  });

  it('carries a keyed message with headers from a kafkajs producer to a kafkajs consumer', async (ctx) => {
    ctx.skip(missingKcat !== undefined, missingKcat);
    expect(await kafkaRoundTrip(started().brokers, 'kafka-mock-spec')).toEqual({ key: 'order-1', value: 'hello mock', trace: 'abc' });
  });

  it('stop() ends the broker process so its port closes', async (ctx) => {
    ctx.skip(missingKcat !== undefined, missingKcat);
    const own = await startMockKafka();
    expect(await acceptsConnections(own.brokers[0])).toBe(true);
    await own.stop();
    expect(await acceptsConnections(own.brokers[0])).toBe(false);
  });
});

describe('kcat launcher failure modes', () => {
  it('reports a missing kcat as KcatNotInstalledError with an install hint', async () => {
    const failure = await startMockKafka({ command: 'kcat-not-installed-here' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(KcatNotInstalledError);
    expect((failure as Error).message).toBe('Kafka: install kcat (apt-get install kcat) or set KAFKA_BROKERS');
  });

  it('rejects, naming the cause, when the process exits before announcing a bootstrap address', async () => {
    // `false` exits at once without printing the notice: the launcher must not wait for its ready timeout.
    const started = Date.now();
    await expect(startMockKafka({ command: 'false', readyTimeoutMs: 10_000 })).rejects.toThrow(/exited \(1\) before the mock cluster was ready/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
