import { join } from 'node:path';
import type { MockKafka } from './kafka-mock';
import { startWatchedChild } from './watched-child';

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
const NOT_INSTALLED_EXIT_CODE = 3;

/** The child's one JSON line on stdout. */
interface ChildReport {
  brokers?: string[];
  librdkafka?: string;
  error?: string;
  notInstalled?: string;
}

function readReport(line: string): { brokers: string[]; librdkafkaVersion: string } | Error | undefined {
  if (!line.startsWith('{')) return undefined; // librdkafka's own log lines on stderr
  const report = JSON.parse(line) as ChildReport;
  if (report.notInstalled !== undefined) return new NpmKafkaMockNotInstalledError(report.notInstalled);
  if (report.error !== undefined) return new Error(`the npm Kafka mock failed: ${report.error}`);
  return report.brokers ? { brokers: report.brokers, librdkafkaVersion: report.librdkafka ?? 'unknown' } : undefined;
}

export async function startNpmMockKafka(options: NpmMockKafkaOptions = {}): Promise<NpmMockKafka> {
  const { value, pid, stop } = await startWatchedChild({
    command: process.execPath,
    args: [CHILD_SCRIPT, String(options.brokers ?? 1)],
    readyTimeoutMs: options.readyTimeoutMs ?? 15_000,
    readLine: readReport,
    timeoutError: (timeoutMs, recent) => new Error(`the npm Kafka mock reported no brokers within ${timeoutMs} ms: ${recent}`),
    exitError: (how, recent) =>
      how === NOT_INSTALLED_EXIT_CODE ? new NpmKafkaMockNotInstalledError(recent) : new Error(`the npm Kafka mock exited (${how}) before it was ready: ${recent}`),
  });
  return { ...value, pid, stop };
}
