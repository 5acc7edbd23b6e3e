import { spawn } from 'node:child_process';

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
const STOP_GRACE_MS = 2_000;

export function startMockKafka(options: MockKafkaOptions = {}): Promise<MockKafka> {
  const brokerCount = options.brokers ?? 1;
  const readyTimeoutMs = options.readyTimeoutMs ?? 5_000;
  // Producer mode reading stdin: when this process dies the pipe closes and kcat exits by itself.
  // The topic is only a placeholder; nothing is ever written to stdin.
  const child = spawn(
    options.command ?? 'kcat',
    ['-P', '-t', 'sb.mock.keepalive', '-b', '127.0.0.1:1', '-X', `test.mock.num.brokers=${brokerCount}`],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  // Ending stdin after kcat already died raises EPIPE on the pipe; that is not worth crashing the caller.
  child.stdin.on('error', () => undefined);

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin.end();
    child.kill('SIGTERM');
    const forceKill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(forceKill);
  };

  return new Promise<MockKafka>((resolve, reject) => {
    let pending = '';
    const recentLines: string[] = [];
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(readyTimer);
      outcome();
    };
    const fail = (error: Error) => settle(() => void stop().finally(() => reject(error)));

    const readyTimer = setTimeout(
      () => fail(new Error(`kcat mock cluster printed no bootstrap address within ${readyTimeoutMs} ms: ${recentLines.join(' | ')}`)),
      readyTimeoutMs,
    );

    // Keep reading stderr for the whole life of the process: a full pipe would block kcat.
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        recentLines.push(line);
        if (recentLines.length > 5) recentLines.shift();
        const notice = BOOTSTRAP_NOTICE.exec(line);
        if (notice) settle(() => resolve({ brokers: notice[1].split(','), pid: child.pid, stop }));
      }
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      settle(() => reject(error.code === 'ENOENT' ? new KcatNotInstalledError() : error));
    });
    child.once('exit', (code, signal) => {
      settle(() => reject(new Error(`kcat exited (${signal ?? code}) before the mock cluster was ready: ${recentLines.join(' | ')}`)));
    });
  });
}
