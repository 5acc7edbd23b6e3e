import { LRUCache } from 'lru-cache';
import type { RateRule } from '../config/env-schemas';

export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  /** ms (performance.now) when `tokens` was last brought up to date. */
  at: number;
}

const ADMITTED: Admission = Object.freeze({ admitted: true });

/**
 * Token buckets keyed by client address or tenant: each holds up to `limit` tokens and regains
 * `limit` per `periodMs`, so bursts up to the limit pass and the long-run rate is limit/period. The
 * busiest `maxKeys` keys are tracked (LRU); a key that was evicted starts again with a full bucket.
 */
export class TokenBuckets {
  private readonly buckets: LRUCache<string, Bucket>;
  private readonly refillPerMs: number;

  constructor(
    private readonly rule: RateRule,
    maxKeys = 100_000,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.buckets = new LRUCache({ max: maxKeys });
    this.refillPerMs = rule.limit / rule.periodMs;
  }

  /** Takes one token for `key`, or says how long until one is available. */
  take(key: string): Admission {
    const bucket = this.current(key);
    if (bucket.tokens < 1) return this.refusal(bucket);
    bucket.tokens -= 1;
    return ADMITTED;
  }

  /** Whether `key` has a token left, without taking it. */
  peek(key: string): Admission {
    const bucket = this.current(key);
    return bucket.tokens < 1 ? this.refusal(bucket) : ADMITTED;
  }

  private refusal(bucket: Bucket): Admission {
    const waitMs = (1 - bucket.tokens) / this.refillPerMs;
    return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  private current(key: string): Bucket {
    const now = this.now();
    const bucket = this.buckets.get(key);
    if (!bucket) {
      const fresh = { tokens: this.rule.limit, at: now };
      this.buckets.set(key, fresh);
      return fresh;
    }
    bucket.tokens = Math.min(this.rule.limit, bucket.tokens + (now - bucket.at) * this.refillPerMs);
    bucket.at = now;
    return bucket;
  }
}
