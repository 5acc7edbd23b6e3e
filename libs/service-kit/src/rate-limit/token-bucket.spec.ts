import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './token-bucket';

function bucketsAt(limit: number, periodMs: number) {
  const clock = { now: 0 };
  return { clock, buckets: new TokenBuckets({ limit, periodMs }, 100, () => clock.now) };
}

describe('TokenBuckets (P2.3)', () => {
  it('P2.3 lets a burst up to the limit through, then refuses with the wait until the next token', () => {
    const { buckets } = bucketsAt(3, 60_000);

    expect([1, 2, 3].map(() => buckets.take('10.0.0.1').admitted)).toEqual([true, true, true]);
    expect(buckets.take('10.0.0.1')).toEqual({ admitted: false, retryAfterSeconds: 20 });
  });

  it('P2.3 refills at limit per period, never above the limit', () => {
    const { clock, buckets } = bucketsAt(2, 1_000);
    buckets.take('a');
    buckets.take('a');

    clock.now = 500;
    expect(buckets.take('a').admitted).toBe(true);
    expect(buckets.take('a').admitted).toBe(false);

    clock.now = 60_000;
    expect([1, 2, 3].map(() => buckets.take('a').admitted)).toEqual([true, true, false]);
  });

  it('P2.3 keeps keys apart', () => {
    const { buckets } = bucketsAt(1, 60_000);

    expect(buckets.take('tenant-a').admitted).toBe(true);
    expect(buckets.take('tenant-a').admitted).toBe(false);
    expect(buckets.take('tenant-b').admitted).toBe(true);
  });

  it('P2.3 peek says whether a token is left without taking it', () => {
    const { buckets } = bucketsAt(1, 10_000);

    expect(buckets.peek('a').admitted).toBe(true);
    expect(buckets.peek('a').admitted).toBe(true);
    buckets.take('a');
    expect(buckets.peek('a')).toEqual({ admitted: false, retryAfterSeconds: 10 });
  });

  it('Retry-After is at least one second', () => {
    const { clock, buckets } = bucketsAt(1_000, 1_000);
    for (let i = 0; i < 1_000; i++) buckets.take('a');
    clock.now = 0.5;

    expect(buckets.take('a')).toEqual({ admitted: false, retryAfterSeconds: 1 });
  });
});
