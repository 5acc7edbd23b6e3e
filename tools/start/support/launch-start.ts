import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { eventually } from '@switchboard/testing';

export const WORKSPACE_ROOT = resolve(__dirname, '../../..');

/** `node --import tsx tools/start/start.ts` as a test child: what `npm start` runs, minus npm's own wrapper. */
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
  // No tsx CLI wrapper in between: it relays a Ctrl-C and SIGKILLs its child when that child does not
  // confirm the signal within 30 ms, which a busy machine can miss (exit code 130).
  const child = spawn(process.execPath, ['--import', 'tsx', 'tools/start/start.ts'], { cwd: WORKSPACE_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const closed = new Promise<void>((done) => child.once('close', () => done()));
  if (child.pid === undefined) throw new Error('start.ts did not spawn');
  return {
    child,
    pid: child.pid,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForStdout(pattern, timeoutMs) {
      // Checked on every chunk start.ts prints, so it resolves as soon as the line is there.
      return new Promise((resolve, reject) => {
        let settled = false;
        const settle = (finish: () => void) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          child.stdout?.off('data', check);
          finish();
        };
        const check = () => {
          const match = pattern.exec(stdout);
          if (match) settle(() => resolve(match));
        };
        const timer = setTimeout(() => settle(() => reject(new Error(`start.ts printed no ${pattern} within ${timeoutMs} ms:\n${stdout}\n${stderr}`))), timeoutMs);
        child.stdout?.on('data', check);
        // After 'close' its output is complete: one last look, then it can no longer appear.
        void closed.then(() => {
          check();
          settle(() => reject(new Error(`start.ts exited (${child.exitCode}) before printing ${pattern}:\n${stdout}\n${stderr}`)));
        });
        check();
      });
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

/** Resolves with [] once the group is empty, or with whatever is still alive after `timeoutMs`. */
export async function groupAfter(groupId: number, timeoutMs: number): Promise<ProcessEntry[]> {
  return eventually(
    async () => (processesInGroup(groupId).length === 0 ? [] : undefined),
    `process group ${groupId} to be empty`,
    timeoutMs,
  ).catch(() => processesInGroup(groupId));
}

/** SIGKILL for whatever a failed test left in the group, so one failure does not leak processes. */
export function killGroup(groupId: number): void {
  try {
    process.kill(-groupId, 'SIGKILL');
  } catch {
    // Nothing left.
  }
}
