/** What one target achieved in the measured period (over all its rounds when interleaved). */
export interface LoopResult {
  answersPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  answers: number;
  failures: number;
  /** The first few failures, in words. */
  failureSamples: string[];
}

interface LoopOptions {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

/** One measured period of one target. */
interface LoopSample {
  latencies: number[];
  failures: number;
  failureSamples: string[];
  seconds: number;
}

/**
 * Runs `operation` from `connections` concurrent workers, each starting the next as soon as the last
 * answered (a closed loop, like autocannon): first for the warm-up, uncounted, then for the measured
 * period. An operation that throws counts as a failure.
 */
async function measureLoop(operation: () => Promise<void>, options: LoopOptions & { onMeasuring?: () => void; onMeasured?: () => void }): Promise<LoopSample> {
  let measuring = false;
  let stopped = false;
  const sample: LoopSample = { latencies: [], failures: 0, failureSamples: [], seconds: 0 };
  const worker = async () => {
    while (!stopped) {
      const started = performance.now();
      try {
        await operation();
        if (measuring) sample.latencies.push(performance.now() - started);
      } catch (error) {
        if (measuring) sample.failures++;
        if (sample.failureSamples.length < 5) sample.failureSamples.push((error as Error).message);
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
  sample.seconds = (performance.now() - measuredFrom) / 1000;
  options.onMeasured?.();
  stopped = true;
  await Promise.all(workers);
  return sample;
}

function resultOf(samples: readonly LoopSample[]): LoopResult {
  const latencies = samples.flatMap((sample) => sample.latencies).sort((a, b) => a - b);
  const seconds = samples.reduce((sum, sample) => sum + sample.seconds, 0);
  return {
    answersPerSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    answers: latencies.length,
    failures: samples.reduce((sum, sample) => sum + sample.failures, 0),
    failureSamples: samples.flatMap((sample) => sample.failureSamples).slice(0, 5),
  };
}

export interface InterleavedResult {
  /** Per target, over all its rounds. */
  results: LoopResult[];
  /** rates[round][target]: answers/s of that target in that round. */
  rates: number[][];
}

/**
 * Several targets measured in turn, round after round (each warmed up once first): on a shared machine a
 * passing load burst then hits every target alike, so the per-round ratios are comparable where two long
 * back-to-back runs are not. `durationSeconds` is each target's measured time in all, split over the rounds.
 * `onRound(target, round, 'start' | 'end')` brackets each measured period (a profiler covers one of them).
 */
export async function runInterleavedLoops(
  operations: readonly (() => Promise<void>)[],
  options: LoopOptions & { rounds: number; onRound?: (target: number, round: number, phase: 'start' | 'end') => void },
): Promise<InterleavedResult> {
  const perRound = { connections: options.connections, warmupSeconds: 0, durationSeconds: options.durationSeconds / options.rounds };
  for (const operation of operations) await measureLoop(operation, { ...options, durationSeconds: 0 });
  const samples: LoopSample[][] = operations.map(() => []);
  const rates: number[][] = [];
  for (let round = 0; round < options.rounds; round++) {
    const rateOfRound: number[] = [];
    for (const [target, operation] of operations.entries()) {
      const sample = await measureLoop(operation, { ...perRound, onMeasuring: () => options.onRound?.(target, round, 'start'), onMeasured: () => options.onRound?.(target, round, 'end') });
      samples[target]?.push(sample);
      rateOfRound.push(sample.latencies.length / sample.seconds);
    }
    rates.push(rateOfRound);
  }
  return { results: samples.map(resultOf), rates };
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * fraction) - 1)] as number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
