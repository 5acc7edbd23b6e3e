import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { serviceProcessEnv } from './runtime-env';
import { SERVICES, ServiceName } from './services';

export interface RunningService {
  name: ServiceName;
  url: string;
  process: ChildProcess;
  /** Everything the service printed (JSON log lines), for test diagnostics. */
  output(): string;
  /** SIGTERM, then SIGKILL after the grace period; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
  /** SIGKILL at once: a crash, for recovery tests. */
  kill(): Promise<void>;
}

export interface StartServiceOptions {
  workspaceRoot: string;
  env: Record<string, string>;
  /** Default: a free port picked just before the start. */
  port?: number;
  startTimeoutMs?: number;
  /**
   * Default true (`npm start`: stack traces name the TypeScript sources). Docker and Kubernetes start `node main.js`
   * without them; the benchmarks do the same, since Node keeps the parsed map in memory (storage-export: ~16–29 MiB RSS).
   */
  sourceMaps?: boolean;
}

export function builtEntryPoint(workspaceRoot: string, name: ServiceName): string {
  return join(workspaceRoot, 'dist', 'apps', name, 'main.js');
}

/** A port that was free a moment ago (the OS picks it), so parallel stacks never collide. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a built service (`nx build <name>`) as its own process and waits until it answers /health/live. */
export async function startService(name: ServiceName, options: StartServiceOptions): Promise<RunningService> {
  const entry = builtEntryPoint(options.workspaceRoot, name);
  if (!existsSync(entry)) throw new Error(`${name} is not built (${entry} missing): run npx nx run-many -t build`);
  const port = options.port || (await freePort());
  const child = spawn(process.execPath, [...(options.sourceMaps === false ? [] : ['--enable-source-maps']), entry], {
    cwd: options.workspaceRoot,
    env: serviceProcessEnv(process.env, SERVICES.find((manifest) => manifest.name === name), { ...options.env, PORT: String(port), HOST: '127.0.0.1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString());
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(`${url}/health/live`))) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before listening:\n${output.slice(-4_000)}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not listen on ${url} within ${timeoutMs} ms:\n${output.slice(-4_000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name,
    url,
    process: child,
    output: () => output,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

/** Polls `/health/ready` until it answers 200. */
export async function waitUntilReady(service: RunningService, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${service.url}/health/ready`);
      if (response.ok) return;
      last = await response.text();
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${service.name} not ready after ${timeoutMs} ms: ${last}`);
}
