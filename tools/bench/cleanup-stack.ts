/**
 * Undo steps registered as resources come up, run last-first. Every step runs even when an earlier one
 * fails, and running twice (Ctrl-C during the normal cleanup) runs each step once.
 */
export class CleanupStack {
  private readonly steps: { label: string; undo: () => Promise<unknown> }[] = [];
  private running: Promise<string[]> | undefined;

  add(label: string, undo: () => Promise<unknown>): void {
    this.steps.push({ label, undo });
  }

  /** Resolves with the failures, one line each ("label: message"). */
  runAll(): Promise<string[]> {
    this.running ??= (async () => {
      const failures: string[] = [];
      for (let step = this.steps.pop(); step; step = this.steps.pop()) {
        try {
          await step.undo();
        } catch (error) {
          failures.push(`${step.label}: ${(error as Error).message}`);
        }
      }
      return failures;
    })();
    return this.running;
  }
}

/**
 * Runs `onSignal` once on SIGINT/SIGTERM/SIGHUP, then exits 130 (or 143, 129). Returns the function that
 * removes the handlers again.
 */
export function onInterrupt(onSignal: (signal: NodeJS.Signals) => Promise<void>): () => void {
  const exitCodes: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  let handling = false;
  const handler = (signal: NodeJS.Signals) => {
    if (handling) return;
    handling = true;
    void onSignal(signal).finally(() => process.exit(exitCodes[signal] ?? 1));
  };
  for (const signal of Object.keys(exitCodes) as NodeJS.Signals[]) process.on(signal, handler);
  return () => {
    for (const signal of Object.keys(exitCodes) as NodeJS.Signals[]) process.off(signal, handler);
  };
}

/** Runs `work` with a cleanup stack (the caller's, or a fresh one) and always runs the stack afterwards. */
export async function withCleanup<T>(
  cleanup: CleanupStack | undefined,
  log: (line: string) => void,
  work: (cleanup: CleanupStack) => Promise<T>,
): Promise<T> {
  const stack = cleanup ?? new CleanupStack();
  try {
    return await work(stack);
  } finally {
    log('cleaning up');
    for (const failure of await stack.runAll()) log(`cleanup failed: ${failure}`);
  }
}

/** A cleanup stack that Ctrl-C (and SIGTERM/SIGHUP) also runs before the process exits. */
export function cleanupOnInterrupt(log: (line: string) => void): CleanupStack {
  const cleanup = new CleanupStack();
  onInterrupt(async (signal) => {
    log(`${signal}: stopping everything and dropping the database`);
    for (const failure of await cleanup.runAll()) log(`cleanup failed: ${failure}`);
  });
  return cleanup;
}

/** What every benchmark run needs from its surroundings. */
export interface BenchEnvironment {
  workspaceRoot: string;
  /** Any URL of the Postgres server; the bench creates and drops its own database there. */
  postgresUrl: string;
  /** Used as given; otherwise a librdkafka mock cluster is started (kcat). */
  kafkaBrokers?: string[];
  /** 'nx': `nx build` (a cache hit when nothing changed); 'if-missing': only when dist/ lacks the service. */
  build: 'nx' | 'if-missing' | 'never';
  cpuProfileDir?: string;
  /** Progress lines. */
  log: (line: string) => void;
  /** Pass one to run the cleanup from a signal handler too; a fresh one is used otherwise. */
  cleanup?: CleanupStack;
}

/** A command line's environment: DATABASE_URL's server (or the local one), KAFKA_BROKERS, and Ctrl-C cleanup. */
export function benchEnvironmentFromProcess(
  workspaceRoot: string,
  defaultPostgres: string,
  log: (line: string) => void,
): Omit<BenchEnvironment, 'build' | 'cpuProfileDir'> {
  const brokers = process.env['KAFKA_BROKERS']?.split(',').map((broker) => broker.trim()).filter(Boolean);
  return {
    workspaceRoot,
    postgresUrl: process.env['DATABASE_URL'] || defaultPostgres,
    ...(brokers?.length && { kafkaBrokers: brokers }),
    log,
    cleanup: cleanupOnInterrupt(log),
  };
}
