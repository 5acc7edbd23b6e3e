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
