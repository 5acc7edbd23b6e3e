import { findWorkspaceRoot } from '@switchboard/persistence/migrate';
import { databaseExists, testInfra } from '@switchboard/testing';
import { describe, expect, it } from 'vitest';
import type { BenchReport } from './report';
import { runBench } from './run-bench';

describe('create-API benchmark (tools/bench)', () => {
  // Figures are not judged here (no timing thresholds): only that both targets ran, every 2xx is a stored row,
  // a ratio came out and nothing was left behind.
  it('PD1.1 runs the service and the baseline briefly and reports both, with a ratio', { timeout: 240_000 }, async () => {
    const { databaseUrl, kafkaBrokers } = testInfra();
    const lines: string[] = [];
    const report: BenchReport = await runBench({
      workspaceRoot: findWorkspaceRoot(),
      postgresUrl: databaseUrl,
      kafkaBrokers,
      durationSeconds: 2,
      warmupSeconds: 1,
      connections: 4,
      build: 'if-missing',
      log: (line) => lines.push(line),
    });

    expect(report.problems).toEqual([]);
    expect(report.targets.map((target) => target.target)).toEqual(['baseline', 'service']);
    for (const target of report.targets) {
      expect(target.requestsPerSecond).toBeGreaterThan(0);
      expect(target.ok2xx).toBeGreaterThan(0);
      expect(target.rows.acknowledgedStored).toBe(target.ok2xx + target.warmup2xx);
    }
    expect(report.throughputRatio).toBeGreaterThan(0);
    expect(Number.isFinite(report.throughputRatio)).toBe(true);
    expect(lines).toContain('cleaning up');
    expect(await databaseExists(databaseUrl, report.settings.database)).toBe(false);
  });
});
