import { startWatchedChild } from './watched-child';

/**
 * librdkafka's built-in mock cluster, started through Debian's `kcat`. Framework-free on purpose: the local
 * `npm start` tool runs it too. Limits (no topic admin, no idempotent producer, fetches wait the full
 * maxWaitTimeInMs) are listed in /work/shared/notes/toolchain-facts.md.
 */
export interface MockKafka {
  brokers: string[];
  /** The kcat process, e.g. for measuring the broker's CPU time. */
  pid?: number;
  stop(): Promise<void>;
}

export interface MockKafkaOptions {
  /** Number of mock brokers (librdkafka `test.mock.num.brokers`). */
  brokers?: number;
  /** Give up when the bootstrap notice has not appeared by then. */
  readyTimeoutMs?: number;
  /** The executable; tests point it elsewhere to exercise the "not installed" path. */
  command?: string;
}

export const KCAT_INSTALL_HINT = 'Kafka: install kcat (apt-get install kcat) or set KAFKA_BROKERS';

/** Thrown when kcat is not on PATH, so callers can tell "not installed" from "broken". */
export class KcatNotInstalledError extends Error {
  constructor() {
    super(KCAT_INSTALL_HINT);
    this.name = 'KcatNotInstalledError';
  }
}

const BOOTSTRAP_NOTICE = /replaced with (\S+)\s*$/;

export async function startMockKafka(options: MockKafkaOptions = {}): Promise<MockKafka> {
  const brokerCount = options.brokers ?? 1;
  // Producer mode reading stdin: when this process dies the pipe closes and kcat exits by itself.
  // The topic is only a placeholder; nothing is ever written to stdin.
  const { value: brokers, pid, stop } = await startWatchedChild({
    command: options.command ?? 'kcat',
    args: ['-P', '-t', 'sb.mock.keepalive', '-b', '127.0.0.1:1', '-X', `test.mock.num.brokers=${brokerCount}`],
    readyTimeoutMs: options.readyTimeoutMs ?? 5_000,
    stopSignal: 'SIGTERM',
    readLine: (line) => BOOTSTRAP_NOTICE.exec(line)?.[1].split(','),
    timeoutError: (timeoutMs, recent) => new Error(`kcat mock cluster printed no bootstrap address within ${timeoutMs} ms: ${recent}`),
    exitError: (how, recent) => new Error(`kcat exited (${how}) before the mock cluster was ready: ${recent}`),
    spawnError: (error) => (error.code === 'ENOENT' ? new KcatNotInstalledError() : error),
  });
  return { brokers, pid, stop };
}
