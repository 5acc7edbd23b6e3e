import { ChildProcess } from 'node:child_process';
import { LOAD_CONFIG_ENV, LoadConfig, LoadMessage, LoadResult } from './load-protocol';
import { spawnTsChild, stopChild } from './ts-child-process';

export interface RunLoadOptions {
  workspaceRoot: string;
  config: LoadConfig;
  /** Called when the warm-up is over and the measured run begins. */
  onMeasuring?: () => void;
  /** Called when the result arrives, while the load generator still exists (its CPU time can be read). */
  onFinished?: () => void;
  /** Lets the caller stop the load on Ctrl-C. */
  onSpawn?: (child: ChildProcess) => void;
}

/** Runs tools/bench/load-runner.ts (autocannon) in its own process and resolves with its figures. */
export async function runLoad({ workspaceRoot, config, onMeasuring, onFinished, onSpawn }: RunLoadOptions): Promise<LoadResult> {
  const child = spawnTsChild({
    workspaceRoot,
    entry: 'tools/bench/load-runner.ts',
    env: { [LOAD_CONFIG_ENV]: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  onSpawn?.(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    return await new Promise<LoadResult>((resolve, reject) => {
      child.on('message', (message: LoadMessage) => {
        if (message.type === 'measuring') onMeasuring?.();
        else if (message.type === 'result') {
          onFinished?.();
          resolve(message.result);
        }
        else reject(new Error(`load runner failed: ${message.message}`));
      });
      child.once('error', (error) => reject(new Error(`load runner could not start: ${error.message}`)));
      // 'close' comes after the IPC channel has delivered everything, unlike 'exit'.
      child.once('close', (code, signal) => reject(new Error(`load runner exited (${code ?? signal}) without a result:\n${output.slice(-4_000)}`)));
    });
  } finally {
    await stopChild(child);
  }
}
