import { describe, expect, it } from 'vitest';
import { retryAfterMs } from './retry-after';

describe('Retry-After of a provider 429 (OM3.4)', () => {
  const now = Date.parse('2026-12-02T12:00:00Z');
  it('OM3.4 reads seconds and HTTP dates; a past date is no wait; absent or unreadable is undefined', () => {
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs(['1.5'], now)).toBe(1500);
    expect(retryAfterMs('Wed, 02 Dec 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Wed, 02 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(retryAfterMs(' ', now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
  });
});
