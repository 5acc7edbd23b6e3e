import { connect } from 'node:net';

const CONNECT_TIMEOUT_MS = 1_500;

/** `KAFKA_BROKERS="a:9092, b:9092"` → `['a:9092', 'b:9092']`. */
export function parseBrokerList(list: string): string[] {
  return list
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
}

/** Resolves as soon as one broker accepts a TCP connection; rejects with every broker's reason otherwise. */
export async function checkKafkaBrokers(brokers: string[], timeoutMs = CONNECT_TIMEOUT_MS): Promise<void> {
  if (brokers.length === 0) throw new Error('the broker list is empty');
  try {
    await Promise.any(brokers.map((broker) => tcpConnect(broker, timeoutMs)));
  } catch (error) {
    const reasons = error instanceof AggregateError ? error.errors.map((e: Error) => e.message) : [String(error)];
    throw new Error(reasons.join('; '));
  }
}

function tcpConnect(broker: string, timeoutMs: number): Promise<void> {
  const separator = broker.lastIndexOf(':');
  const host = broker.slice(0, separator).replace(/^\[|\]$/g, '');
  const port = Number(broker.slice(separator + 1));
  return new Promise((resolve, reject) => {
    if (separator <= 0 || !Number.isInteger(port)) {
      reject(new Error(`${broker} is not host:port`));
      return;
    }
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error(`${broker} did not accept a connection within ${timeoutMs} ms`));
    });
    socket.once('error', (error) => reject(new Error(`${broker}: ${error.message}`)));
  });
}
