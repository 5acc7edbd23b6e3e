import { describe, expect, it } from 'vitest';
import { latencySummary, percentile } from './pops-report';

describe('pops benchmark figures', () => {
  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([], 99)).toBe(0);
  });

  it('summarises latencies whatever their order', () => {
    expect(latencySummary([30, 10, 20, 40.04])).toEqual({ p50: 20, p90: 40, p99: 40, max: 40 });
  });
});
