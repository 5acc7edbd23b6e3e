import { describe, expect, it } from 'vitest';
import type { LoadFigures, LoadResult } from './load-protocol';
import { formatReport, problemsOf, targetReport, throughputRatio, type BenchReport } from './report';

function figures(overrides: Partial<LoadFigures> = {}): LoadFigures {
  return {
    durationSeconds: 10,
    responses: 1_000,
    ok2xx: 1_000,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    bodiesWithoutId: 0,
    statusCodes: { '200': 1_000 },
    latencyMs: { p50: 5, p90: 8, p99: 12, max: 40, average: 5.5 },
    requestsPerSecondAverage: 100,
    ...overrides,
  };
}

function load(measured: LoadFigures, warmup: LoadFigures | undefined, ids: number): LoadResult {
  return { measured, ...(warmup && { warmup }), ids: Array.from({ length: ids }, (_, i) => `id-${i}`) };
}

describe('bench report', () => {
  it('counts requests/s from 2xx answers over the measured seconds only', () => {
    const report = targetReport('service', 'http://x', load(figures({ ok2xx: 900, non2xx: 100 }), figures({ ok2xx: 300 }), 1_200), { total: 1_205, matching: 1_200 });
    expect(report.requestsPerSecond).toBe(90);
    expect(report.warmup2xx).toBe(300);
    expect(report.rows).toEqual({ inserted: 1_205, acknowledged: 1_200, acknowledgedStored: 1_200, cutOff: 5 });
  });

  it('finds nothing wrong when every 2xx id is a stored row and few requests were cut off', () => {
    const report = targetReport('baseline', 'http://x', load(figures(), figures({ ok2xx: 200 }), 1_200), { total: 1_220, matching: 1_200 });
    expect(problemsOf(report, 10, true)).toEqual([]);
  });

  it('reports non-2xx answers, errors, missing rows and too many rows', () => {
    const report = targetReport(
      'service',
      'http://x',
      load(figures({ ok2xx: 990, non2xx: 10, errors: 2, statusCodes: { '200': 990, '422': 10 } }), undefined, 990),
      { total: 1_500, matching: 980 },
    );
    const problems = problemsOf(report, 10, false);
    expect(problems).toEqual([
      'service: 10 non-2xx answers (measured run: {"200":990,"422":10})',
      'service: 2 connection errors or timeouts',
      'service: 10 acknowledged ids are not rows of the table',
      'service: 520 rows without a 2xx answer (at most 10 requests can be cut off)',
    ]);
  });

  it('reports a run without any 2xx answer and ids that do not add up to the 2xx count', () => {
    const report = targetReport('baseline', 'http://x', load(figures({ ok2xx: 0, non2xx: 5 }), undefined, 3), { total: 3, matching: 3 });
    expect(problemsOf(report, 10, false)).toContain('baseline: no 2xx answer in the measured run');
    expect(problemsOf(report, 10, false)).toContain('baseline: 0 2xx answers carried 3 distinct ids');
  });

  it('divides service by baseline throughput, and gives 0 when the baseline served nothing', () => {
    const baseline = targetReport('baseline', 'b', load(figures({ ok2xx: 3_000 }), undefined, 3_000), { total: 3_000, matching: 3_000 });
    const service = targetReport('service', 's', load(figures({ ok2xx: 1_000 }), undefined, 1_000), { total: 1_000, matching: 1_000 });
    expect(throughputRatio(baseline, service)).toBe(0.333);
    const idle = targetReport('baseline', 'b', load(figures({ ok2xx: 0 }), undefined, 0), { total: 0, matching: 0 });
    expect(throughputRatio(idle, service)).toBe(0);
  });

  it('prints one row per target, the ratio with its verdict, and the problems', () => {
    const baseline = targetReport('baseline', 'b', load(figures({ ok2xx: 3_000 }), undefined, 3_000), { total: 3_000, matching: 3_000 });
    const service = targetReport('service', 's', load(figures({ ok2xx: 1_000 }), undefined, 1_000), { total: 1_000, matching: 1_000 });
    const report: BenchReport = {
      settings: { title: 'create-API benchmark', database: 'sb_bench_x', connections: 50, durationSeconds: 10, warmupSeconds: 0, poolSize: 10, body: 'varied', notes: ['dispatcher: idle'] },
      targets: [baseline, service],
      throughputRatio: 0.333,
      goalRatio: 0.5,
      goalMet: false,
      problems: ['service: something'],
    };
    const text = formatReport(report);
    expect(text).toMatch(/^baseline\s+300\.0\s+5\s+12\s+0\s+0\s+3000\s+3000\s+0$/m);
    expect(text).toMatch(/^service\s+100\.0\s+5\s+12\s+0\s+0\s+1000\s+1000\s+0$/m);
    expect(text).toContain('create-API benchmark: 50 connections');
    expect(text).toContain('\ndispatcher: idle\n');
    expect(text).toContain('throughput ratio service/baseline: 0.333 (goal ≥ 0.5: NOT met)');
    expect(text).toContain('  - service: something');
  });
});
