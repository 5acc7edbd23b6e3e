import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

export const WORKSPACE_ROOT = resolve(__dirname, '../../..');

/** `tsx tools/start/start.ts` as a test child: what `npm start` runs, minus npm's own wrapper. */
export interface LaunchedStart {
  child: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Resolves with stdout once `pattern` appears in it; rejects when the process exits first or time runs out. */
  waitForStdout(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
}

/**
 * Starts start.ts in its own process group (detached), like a shell starts a foreground job: a signal to
 * the group is what a Ctrl-C in a terminal sends, and the group finds every process it left behind.
 */
export function launchStart(env: NodeJS.ProcessEnv): LaunchedStart {
  const tsxCli = createRequire(join(WORKSPACE_ROOT, 'package.json')).resolve('tsx/cli');
  const child = spawn(process.execPath, [tsxCli, 'tools/start/start.ts'], { cwd: WORKSPACE_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  if (child.pid === undefined) throw new Error('start.ts did not spawn');
  return {
    child,
    pid: child.pid,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async waitForStdout(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      let running = true;
      void exited.then(() => (running = false));
      for (;;) {
        const match = pattern.exec(stdout);
        if (match) return match;
        if (!running) throw new Error(`start.ts exited (${child.exitCode}) before printing ${pattern}:\n${stdout}\n${stderr}`);
        if (Date.now() > deadline) throw new Error(`start.ts printed no ${pattern} within ${timeoutMs} ms:\n${stdout}\n${stderr}`);
        await new Promise((wait) => setTimeout(wait, 100));
      }
    },
  };
}

export interface ProcessEntry {
  pid: number;
  command: string;
}

/** Live processes of a process group (zombies, which are only waiting to be reaped, do not count). */
export function processesInGroup(groupId: number): ProcessEntry[] {
  const found: ProcessEntry[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields start after the last ')'.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) !== groupId || state === 'Z') continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      found.push({ pid: Number(entry), command });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** True while the process exists and is not a zombie. */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Polls until the group is empty; resolves with whatever is still alive after `timeoutMs`. */
export async function groupAfter(groupId: number, timeoutMs: number): Promise<ProcessEntry[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = processesInGroup(groupId);
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await new Promise((wait) => setTimeout(wait, 100));
  }
}

/** SIGKILL for whatever a failed test left in the group, so one failure does not leak processes. */
export function killGroup(groupId: number): void {
  try {
    process.kill(-groupId, 'SIGKILL');
  } catch {
    // Nothing left.
  }
}
