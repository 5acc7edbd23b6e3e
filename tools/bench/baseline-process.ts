import { ChildProcess } from 'node:child_process';
import { childExit, spawnTsChild, stopChild } from './ts-child-process';

export interface BaselineOptions {
  workspaceRoot: string;
  /** The server to run, relative to the workspace root (see bare-http.ts). */
  entry: string;
  databaseUrl: string;
  /** schema.table to insert into. */
  table: string;
  tenantId: string;
  poolSize: number;
  /** Whatever else this baseline reads from its environment. */
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

export interface RunningBaseline {
  url: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

const READY_LINE = /^\{"listening":(\d+)\}$/m;

/** Starts a baseline server (tools/bench/baseline-server.ts, …) as its own process and waits for its "listening" line. */
export async function startBaseline(options: BaselineOptions): Promise<RunningBaseline> {
  const child = spawnTsChild({
    workspaceRoot: options.workspaceRoot,
    entry: options.entry,
    env: {
      BASELINE_DATABASE_URL: options.databaseUrl,
      BASELINE_TABLE: options.table,
      BASELINE_TENANT_ID: options.tenantId,
      BASELINE_POOL_SIZE: String(options.poolSize),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const timeoutMs = options.startTimeoutMs ?? 15_000;
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => fail(`did not print its port within ${timeoutMs} ms`), timeoutMs);
    function fail(why: string) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`Baseline server ${why}:\n${output.slice(-4_000)}`));
    }
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = READY_LINE.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve(Number(ready[1]));
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('error', (error) => fail(`could not start (${error.message})`));
    void childExit(child).then((code) => fail(`exited (${code}) before listening`));
  });
  return { url: `http://127.0.0.1:${port}`, process: child, output: () => output, stop: () => stopChild(child) };
}
