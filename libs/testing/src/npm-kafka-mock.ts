import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { MockKafka } from './kafka-mock';

/**
 * The same librdkafka mock cluster as kafka-mock.ts, but from the npm registry: the optional dependency
 * `@confluentinc/kafka-javascript` bundles librdkafka, so a machine without kcat still gets a Kafka-protocol
 * broker. It runs in a child process (npm-kafka-mock-process.cjs) so that the native client never lives in a
 * test worker or in `npm start` itself, and so that it dies with its parent (its stdin closes).
 */
export const NPM_KAFKA_PACKAGE = '@confluentinc/kafka-javascript';

/** Thrown when the optional package is absent (its native build failed or was skipped at install). */
export class NpmKafkaMockNotInstalledError extends Error {
  constructor(reason: string) {
    super(`the npm package ${NPM_KAFKA_PACKAGE} is not installed (${reason})`);
    this.name = 'NpmKafkaMockNotInstalledError';
  }
}

export interface NpmMockKafka extends MockKafka {
  /** librdkafka's version inside the package, for the `[infra]` line and the start summary. */
  librdkafkaVersion: string;
}

export interface NpmMockKafkaOptions {
  brokers?: number;
  readyTimeoutMs?: number;
}

const CHILD_SCRIPT = join(__dirname, 'npm-kafka-mock-process.cjs');
const STOP_GRACE_MS = 2_000;
const NOT_INSTALLED_EXIT_CODE = 3;

interface ChildReport {
  brokers?: string[];
  librdkafka?: string;
  error?: string;
  notInstalled?: string;
}

export function startNpmMockKafka(options: NpmMockKafkaOptions = {}): Promise<NpmMockKafka> {
  const readyTimeoutMs = options.readyTimeoutMs ?? 15_000;
  const child = spawn(process.execPath, [CHILD_SCRIPT, String(options.brokers ?? 1)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  child.stdin.on('error', () => undefined);
  const stderrTail: string[] = [];
  // Keep draining stderr (librdkafka logs there) so the pipe never fills.
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderrTail.push(...chunk.trim().split('\n'));
    stderrTail.splice(0, Math.max(0, stderrTail.length - 5));
  });

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin.end();
    const forceKill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(forceKill);
  };

  return new Promise<NpmMockKafka>((resolve, reject) => {
    let settled = false;
    let pending = '';
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(readyTimer);
      outcome();
    };
    const fail = (error: Error) => settle(() => void stop().finally(() => reject(error)));
    const readyTimer = setTimeout(() => fail(new Error(`the npm Kafka mock reported no brokers within ${readyTimeoutMs} ms: ${stderrTail.join(' | ')}`)), readyTimeoutMs);

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const report = JSON.parse(line) as ChildReport;
        if (report.notInstalled !== undefined) settle(() => reject(new NpmKafkaMockNotInstalledError(report.notInstalled ?? '')));
        else if (report.error !== undefined) fail(new Error(`the npm Kafka mock failed: ${report.error}`));
        else if (report.brokers) {
          const { brokers, librdkafka = 'unknown' } = report;
          settle(() => resolve({ brokers, pid: child.pid, librdkafkaVersion: librdkafka, stop }));
        }
      }
    });
    child.once('error', (error) => settle(() => reject(error)));
    // 'close' comes after stdout was read to its end, so a report printed just before exiting is never lost.
    child.once('close', (code, signal) => {
      const error =
        code === NOT_INSTALLED_EXIT_CODE
          ? new NpmKafkaMockNotInstalledError(stderrTail.join(' | '))
          : new Error(`the npm Kafka mock exited (${signal ?? code}) before it was ready: ${stderrTail.join(' | ')}`);
      settle(() => reject(error));
    });
  });
}
