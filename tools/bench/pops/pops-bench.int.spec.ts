import { describe, expect, it } from 'vitest';
import { benchTestEnvironment } from '../bench-test-environment';
import { runPopsBench } from './run-pops-bench';

describe('pops benchmark (npm run bench:pops)', () => {
  // The short version for the suite: no timing thresholds, only that every stream got every pop of its agent
  // once, across two replicas, that figures came out, and that nothing was left behind.
  it('EB3.1 delivers every pop to every stream of its agent exactly once, across two replicas, and reports latencies', { timeout: 240_000 }, async () => {
    const bench = benchTestEnvironment();
    const report = await runPopsBench({ ...bench.environment, clients: 60, agents: 12, pops: 48, popsPerSecond: 40, replicas: 2 });

    expect(report.connected).toBe(60);
    expect(report.expected).toBe(48 * 5);
    expect(report.received).toBe(report.expected);
    expect(report.duplicates).toBe(0);
    expect(report.clientsMissingPops).toBe(0);
    expect(report.latencyMs.p99).toBeGreaterThan(0);
    expect(report.stages.consumeMs.p50).toBeGreaterThanOrEqual(0);
    expect(await bench.leftNothingBehind(report.settings.database)).toBe(true);
  });
});
