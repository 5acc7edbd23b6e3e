import { ChildProcess } from 'node:child_process';
import { childExit, spawnTsChild, stopChild } from '../ts-child-process';

export interface BarePairSettings {
  workspaceRoot: string;
  databaseUrl: string;
  brokers: string[];
  table: string;
  /** Consumer groups reading the topic alongside the one that fills `table`, each recording ids in `sideTable`. */
  sideGroups: number;
  sideTable: string;
  topic: string;
  tenantId: string;
  consumerMaxWaitMs: number;
  partitionsConcurrently: number;
}

export interface BarePair {
  process: ChildProcess;
  /** Sends one round's events (`benchEvents(runId, events)`) and resolves once they are all stored. */
  run(runId: number, events: number): Promise<{ elapsedMs: number; producedMs: number }>;
  stop(): Promise<void>;
}

type Line = { ready?: true; done?: { elapsedMs: number; producedMs: number } };

/** Starts bare-pair.ts and waits until its consumer has joined its group. */
export async function startBarePair(settings: BarePairSettings): Promise<BarePair> {
  const child = spawnTsChild({
    workspaceRoot: settings.workspaceRoot,
    entry: 'tools/bench/consumer/bare-pair.ts',
    env: {
      BARE_DATABASE_URL: settings.databaseUrl,
      BARE_BROKERS: settings.brokers.join(','),
      BARE_TABLE: settings.table,
      BARE_SIDE_GROUPS: String(settings.sideGroups),
      BARE_SIDE_TABLE: settings.sideTable,
      BARE_TOPIC: settings.topic,
      BARE_TENANT: settings.tenantId,
      BARE_MAX_WAIT_MS: String(settings.consumerMaxWaitMs),
      BARE_CONCURRENCY: String(settings.partitionsConcurrently),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters: ((line: Line) => void)[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    for (const text of chunk.toString().split('\n').filter((l) => l.startsWith('{'))) for (const waiter of [...waiters]) waiter(JSON.parse(text) as Line);
  });
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = childExit(child);
  const next = <K extends keyof Line>(key: K, timeoutMs: number) =>
    new Promise<NonNullable<Line[K]>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the bare pair sent no "${key}" within ${timeoutMs} ms:\n${output.slice(-3_000)}`)), timeoutMs);
      void exited.then((code) => reject(new Error(`the bare pair exited (${code}):\n${output.slice(-3_000)}`)));
      const waiter = (line: Line) => {
        const value = line[key];
        if (value === undefined) return;
        clearTimeout(timer);
        waiters.splice(waiters.indexOf(waiter), 1);
        resolve(value as NonNullable<Line[K]>);
      };
      waiters.push(waiter);
    });
  await next('ready', 60_000);
  return {
    process: child,
    run: async (runId, events) => {
      const done = next('done', 600_000);
      child.stdin?.write(`${JSON.stringify({ runId, events })}\n`);
      return done;
    },
    stop: () => stopChild(child),
  };
}
