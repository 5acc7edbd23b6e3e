import { spawn } from 'node:child_process';

/**
 * A helper process that announces readiness on one output line and lives as long as its stdin stays open (so it
 * dies with its parent): kcat's mock cluster and the npm Kafka mock both run this way.
 */
export interface WatchedChild<T> {
  value: T;
  pid?: number;
  stop(): Promise<void>;
}

export interface WatchChildOptions<T> {
  command: string;
  args: string[];
  readyTimeoutMs: number;
  /** Looks at each line of stdout and stderr: a value means ready, an Error means it failed. */
  readLine(line: string): T | Error | undefined;
  /** Sent on stop besides closing stdin, for a process that does not stop on stdin's end alone. */
  stopSignal?: NodeJS.Signals;
  timeoutError(timeoutMs: number, recentLines: string): Error;
  exitError(how: string | number | null, recentLines: string): Error;
  spawnError?(error: NodeJS.ErrnoException): Error;
}

const STOP_GRACE_MS = 2_000;
const LINES_KEPT = 5;

export function startWatchedChild<T>(options: WatchChildOptions<T>): Promise<WatchedChild<T>> {
  const child = spawn(options.command, options.args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  // Ending stdin after the process already died raises EPIPE on the pipe; that is not worth crashing the caller.
  child.stdin.on('error', () => undefined);

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin.end();
    if (options.stopSignal) child.kill(options.stopSignal);
    const forceKill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(forceKill);
  };

  return new Promise<WatchedChild<T>>((resolve, reject) => {
    const recentLines: string[] = [];
    const recent = () => recentLines.join(' | ');
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(readyTimer);
      outcome();
    };
    const fail = (error: Error) => settle(() => void stop().finally(() => reject(error)));
    const readyTimer = setTimeout(() => fail(options.timeoutError(options.readyTimeoutMs, recent())), options.readyTimeoutMs);

    const onLine = (line: string) => {
      recentLines.push(line);
      if (recentLines.length > LINES_KEPT) recentLines.shift();
      const outcome = options.readLine(line);
      if (outcome instanceof Error) fail(outcome);
      else if (outcome !== undefined) settle(() => resolve({ value: outcome, pid: child.pid, stop }));
    };
    // Both streams are read for the whole life of the process: a full pipe would block it.
    for (const stream of [child.stdout, child.stderr]) {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (pending + chunk).split('\n');
        pending = lines.pop() ?? '';
        lines.forEach(onLine);
      });
    }
    child.once('error', (error: NodeJS.ErrnoException) => settle(() => reject(options.spawnError?.(error) ?? error)));
    // 'close' comes after both streams were read to their end, so a line printed just before exiting counts.
    child.once('close', (code, signal) => settle(() => reject(options.exitError(signal ?? code, recent()))));
  });
}
