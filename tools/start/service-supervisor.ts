import type { ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type RunningService, startService, waitUntilReady } from '../stack/service-process';
import type { ServiceName } from '../stack/services';
import { readableTail } from './log-tail';
import type { ServicePort } from './ports';
import type { ServiceRow } from './summary';

export interface SupervisorOptions {
  workspaceRoot: string;
  /** `<logDir>/<service>.log` receives everything the service prints (JSON lines), fresh each start. */
  logDir: string;
  /** Per service, from spawn to `/health/ready` answering 200. */
  readyTimeoutMs: number;
  /** How long a stopping service may take before it is killed (its own SHUTDOWN_GRACE_MS plus closing). */
  stopGraceMs: number;
}

/** A service that did not come up, or went away; `tail` is its last log lines made readable. */
export class ServiceFailure extends Error {
  constructor(
    readonly service: ServiceName,
    readonly reason: string,
    readonly tail: string[],
  ) {
    super(`${service} ${reason}`);
    this.name = 'ServiceFailure';
  }
}

interface Supervised {
  service: RunningService;
  log: WriteStream;
}

// A Ctrl-C in a terminal reaches every process of the foreground group, services included: give
// them a moment to react before deciding whether they still need to be told.
const SIGNAL_SETTLE_MS = 300;
const PROBE_TIMEOUT_MS = 1_000;

/** Runs the services as child processes: logs to files, readiness, unexpected exits, graceful stop. */
export class ServiceSupervisor {
  private readonly running = new Map<ServiceName, Supervised>();
  private readonly starting: Promise<unknown>[] = [];
  private stopping = false;
  private order: ServiceName[] = [];

  constructor(private readonly options: SupervisorOptions) {}

  /** Starts every service at once and resolves when all are ready; rejects with the first ServiceFailure. */
  async startAll(ports: ServicePort[], envFor: (service: ServicePort) => Record<string, string>): Promise<void> {
    this.order = ports.map((service) => service.name);
    await mkdir(this.options.logDir, { recursive: true });
    await Promise.all(ports.map((service) => this.startOne(service, envFor(service))));
  }

  /** Calls `onExit` once for the first service that exits while nobody asked it to. */
  watchForUnexpectedExit(onExit: (failure: ServiceFailure) => void): void {
    let reported = false;
    for (const { service } of this.running.values()) {
      const report = (code: number | null, signal: NodeJS.Signals | null) => {
        if (this.stopping || reported) return;
        reported = true;
        onExit(new ServiceFailure(service.name, `stopped unexpectedly (${describeExit(code, signal)})`, readableTail(service.output())));
      };
      if (hasExited(service.process)) report(service.process.exitCode, service.process.signalCode);
      else service.process.once('exit', report);
    }
  }

  /** In the order the services were given to startAll. */
  rows(): ServiceRow[] {
    return [...this.running.values()].sort((a, b) => this.order.indexOf(a.service.name) - this.order.indexOf(b.service.name)).map(({ service }) => ({ name: service.name, pid: service.process.pid, url: service.url, health: 'ready' }));
  }

  /** Graceful stop of every service, in parallel; waits for services still being spawned first. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled(this.starting);
    await Promise.all([...this.running.values()].map(({ service }) => this.stopOne(service)));
    await this.closeLogs();
  }

  /** The second Ctrl-C: SIGKILL everything now. */
  async killAll(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.running.values()].map(({ service }) => service.kill()));
    await this.closeLogs();
  }

  /** Last resort when this process exits with services still running: synchronous SIGKILL. */
  killNow(): void {
    for (const { service } of this.running.values()) if (!hasExited(service.process)) service.process.kill('SIGKILL');
  }

  private async startOne(port: ServicePort, env: Record<string, string>): Promise<void> {
    const log = createWriteStream(join(this.options.logDir, `${port.name}.log`), { flags: 'w' });
    const spawning = startService(port.name, { workspaceRoot: this.options.workspaceRoot, env, port: port.port, startTimeoutMs: this.options.readyTimeoutMs });
    this.starting.push(spawning);
    let service: RunningService;
    try {
      service = await spawning;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.end(message);
      // service-process.ts puts the output after the first line of its message.
      const [headline, ...output] = message.split('\n');
      throw new ServiceFailure(port.name, `did not start: ${headline.replace(`${port.name} `, '').replace(/:$/, '')}`, readableTail(output.join('\n')));
    }
    // Copy what was printed so far, then follow: both happen before the next chunk can arrive.
    log.write(service.output());
    service.process.stdout?.on('data', (chunk: Buffer) => log.write(chunk));
    service.process.stderr?.on('data', (chunk: Buffer) => log.write(chunk));
    this.running.set(port.name, { service, log });

    const exited = new Promise<never>((_, reject) => {
      const fail = (code: number | null, signal: NodeJS.Signals | null) =>
        reject(new ServiceFailure(port.name, `exited before it was ready (${describeExit(code, signal)})`, readableTail(service.output())));
      if (hasExited(service.process)) fail(service.process.exitCode, service.process.signalCode);
      else service.process.once('exit', fail);
    });
    exited.catch(() => undefined);
    try {
      await Promise.race([waitUntilReady(service, this.options.readyTimeoutMs), exited]);
    } catch (error) {
      if (error instanceof ServiceFailure) throw error;
      throw new ServiceFailure(port.name, `was not ready within ${this.options.readyTimeoutMs / 1000} s (${(error as Error).message})`, readableTail(service.output()));
    }
  }

  private async stopOne(service: RunningService): Promise<void> {
    if (hasExited(service.process)) return;
    await delay(SIGNAL_SETTLE_MS);
    if (hasExited(service.process)) return;
    if ((await shutdownState(service.url)) === 'serving') {
      await service.stop(this.options.stopGraceMs);
      return;
    }
    // Already draining (it got the terminal's SIGINT itself): a second signal would make it exit at once.
    if (!(await exitsWithin(service.process, this.options.stopGraceMs))) await service.kill();
  }

  private async closeLogs(): Promise<void> {
    await Promise.all([...this.running.values()].map(({ log }) => new Promise<void>((resolve) => (log.writableEnded ? resolve() : log.end(resolve)))));
  }
}

/** 'shutting-down' when the service's readiness says so or it no longer accepts connections. */
async function shutdownState(url: string): Promise<'serving' | 'shutting-down'> {
  try {
    const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    const body = (await response.json().catch(() => ({}))) as { status?: string };
    return body.status === 'shutting-down' ? 'shutting-down' : 'serving';
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    // A busy service that did not answer in time is treated as serving: it gets SIGTERM.
    return code === 'ECONNREFUSED' || code === 'ECONNRESET' ? 'shutting-down' : 'serving';
  }
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function exitsWithin(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
