import { describe, expect, it } from 'vitest';
import { benchTestEnvironment } from '../bench-test-environment';
import { runIngestBench } from './run-ingest-bench';

describe('ingest benchmark (npm run bench:ingest)', () => {
  // The short version for the suite: no timing thresholds, only that both targets accepted every signed
  // request, every 2xx is a stored row, a ratio came out and nothing was left behind.
  it('EB1.1 b / EB2.1 loads signed single-event ingest on the service and the bare baseline and reports both, with a ratio', { timeout: 240_000 }, async () => {
    const bench = benchTestEnvironment();
    const report = await runIngestBench({ ...bench.environment, durationSeconds: 2, warmupSeconds: 1, connections: 4 });

    expect(report.problems).toEqual([]);
    expect(report.targets.map((target) => target.target)).toEqual(['baseline', 'service']);
    for (const target of report.targets) {
      expect(target.ok2xx).toBeGreaterThan(0);
      expect(target.statusCodes).toEqual({ '202': target.ok2xx });
      expect(target.rows.acknowledgedStored).toBe(target.ok2xx + target.warmup2xx);
    }
    expect(report.throughputRatio).toBeGreaterThan(0);
    expect(report.settings.notes.join('\n')).toContain('relay backlog');
    expect(await bench.leftNothingBehind(report.settings.database)).toBe(true);
  });
});
