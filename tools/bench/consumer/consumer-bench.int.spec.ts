import { describe, expect, it } from 'vitest';
import { benchTestEnvironment } from '../bench-test-environment';
import { runConsumerBench } from './run-consumer-bench';

describe('consumer benchmark (npm run bench:consumer)', () => {
  // The short version for the suite; figures are not judged (no timing thresholds): both sides ran in
  // every round, every event was stored exactly once on each side, ratios came out, and nothing was left behind.
  it('runs the pipeline and the bare pair in interleaved rounds and reports the spread of the per-round ratios', { timeout: 240_000 }, async () => {
    const bench = benchTestEnvironment();
    const report = await runConsumerBench({ ...bench.environment, events: 1_000, rounds: 2 });
    expect(report.rounds).toHaveLength(2);
    expect(report.pipeline.stored).toBe(2_000);
    expect(report.bare.stored).toBe(2_000);
    for (const round of report.rounds) {
      expect(round.pipeline.stages.outboxInsertedMs).toBeLessThanOrEqual(round.pipeline.stages.consumedMs);
      expect(round.pipeline.eventsPerSecond).toBeGreaterThan(0);
      expect(round.bare.eventsPerSecond).toBeGreaterThan(0);
      expect(round.ratio).toBeGreaterThan(0);
    }
    expect(report.ratio.min).toBeLessThanOrEqual(report.ratio.median);
    expect(report.ratio.median).toBeLessThanOrEqual(report.ratio.max);
    expect(Object.keys(report.pipeline.cpuMsPerThousandEvents)).toEqual(['outboxWriter', 'relay', 'consumer', 'kafka', 'postgres']);
    expect(Object.keys(report.bare.cpuMsPerThousandEvents)).toEqual(['barePair', 'kafka', 'postgres']);
    expect(await bench.leftNothingBehind(report.settings.database)).toBe(true);
  });
});
