import { describe, expect, it } from 'vitest';
import { benchTestEnvironment } from '../bench-test-environment';
import { runConsumerBench } from './run-consumer-bench';

describe('consumer benchmark (npm run bench:consumer)', () => {
  // The short version for the suite; figures are not judged (no timing thresholds): both sides ran, every
  // event was stored exactly once on each side, a ratio came out, and nothing was left behind.
  it('runs the pipeline and the bare pair on the same events and reports both, with a ratio', { timeout: 240_000 }, async () => {
    const bench = benchTestEnvironment();
    const report = await runConsumerBench({ ...bench.environment, events: 2_000 });
    expect(report.pipeline.stored).toBe(2_000);
    expect(report.bare.stored).toBe(2_000);
    expect(report.pipeline.stages.outboxInsertedMs).toBeLessThanOrEqual(report.pipeline.stages.consumedMs);
    expect(report.pipeline.eventsPerSecond).toBeGreaterThan(0);
    expect(report.bare.eventsPerSecond).toBeGreaterThan(0);
    expect(report.ratio).toBeGreaterThan(0);
    expect(Object.keys(report.pipeline.cpuMsPerThousandEvents)).toEqual(['outboxWriter', 'relay', 'consumer', 'kafka', 'postgres']);
    expect(await bench.leftNothingBehind(report.settings.database)).toBe(true);
  });
});
