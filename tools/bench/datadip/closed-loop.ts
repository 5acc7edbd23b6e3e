/** What one target achieved in the measured period. */
export interface LoopResult {
  answersPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  answers: number;
  failures: number;
  /** The first few failures, in words. */
  failureSamples: string[];
}

/**
 * Runs `operation` from `connections` concurrent workers, each starting the next as soon as the last
 * answered (a closed loop, like autocannon): first for the warm-up, uncounted, then for the measured
 * period. An operation that throws counts as a failure.
 */
export async function runClosedLoop(operation: () => Promise<void>, options: { connections: number; warmupSeconds: number; durationSeconds: number; onMeasuring?: () => void }): Promise<LoopResult> {
  let measuring = false;
  let stopped = false;
  const latencies: number[] = [];
  const failureSamples: string[] = [];
  let failures = 0;
  const worker = async () => {
    while (!stopped) {
      const started = performance.now();
      try {
        await operation();
        if (measuring) latencies.push(performance.now() - started);
      } catch (error) {
        if (measuring) failures++;
        if (failureSamples.length < 5) failureSamples.push((error as Error).message);
      }
    }
  };
  const workers = Array.from({ length: options.connections }, worker);
  await sleep(options.warmupSeconds * 1000);
  measuring = true;
  options.onMeasuring?.();
  const measuredFrom = performance.now();
  await sleep(options.durationSeconds * 1000);
  measuring = false;
  const seconds = (performance.now() - measuredFrom) / 1000;
  stopped = true;
  await Promise.all(workers);
  latencies.sort((a, b) => a - b);
  return {
    answersPerSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    answers: latencies.length,
    failures,
    failureSamples,
  };
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * fraction) - 1)] as number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
