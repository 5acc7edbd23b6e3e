import { ChildProcess, spawn, StdioOptions } from 'node:child_process';
import { join } from 'node:path';

export interface TsChildOptions {
  workspaceRoot: string;
  /** Path of the entry relative to the workspace root, e.g. tools/bench/baseline-server.ts. */
  entry: string;
  env?: Record<string, string>;
  stdio: StdioOptions;
}

/**
 * Runs a TypeScript entry of tools/ as a plain Node process with tsx's loader (`node --import tsx`), so it
 * gets its own event loop. cwd is the workspace root: that is where `--import tsx` is resolved from.
 */
export function spawnTsChild({ workspaceRoot, entry, env = {}, stdio }: TsChildOptions): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(workspaceRoot, entry)], {
    cwd: workspaceRoot,
    env: { ...process.env, ...env },
    stdio,
  });
}

/** Resolves with the exit code (or signal name) once the child has exited; at once if it already has. */
export function childExit(child: ChildProcess): Promise<number | string | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? child.signalCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
}

/** SIGTERM, then SIGKILL after the grace period. */
export async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = childExit(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
