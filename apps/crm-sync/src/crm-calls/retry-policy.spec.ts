import { describe, expect, it } from 'vitest';
import { DAY, retryAfterMs, retryDecision } from './retry-policy';

const FIRST = new Date('2026-03-02T14:00:00.000Z');
const at = (ms: number) => new Date(FIRST.getTime() + ms);

describe('CRM call retry policies (CS2.8)', () => {
  it('CS2.8 source policy: a 400 is retried with exponential back-off, ever less often, capped at one day between tries', () => {
    const delays = [1, 2, 3, 4, 11, 12, 20].map((attempt) => {
      const decision = retryDecision('source', { status: 400 }, attempt, FIRST, FIRST);
      return decision.retry ? decision.delayMs : undefined;
    });
    expect(delays).toEqual([60_000, 120_000, 240_000, 480_000, 61_440_000, DAY, DAY]);
  });

  it('CS2.8 source policy: retries stop one week after the step was first scheduled', () => {
    expect(retryDecision('source', { status: 400 }, 15, FIRST, at(6 * DAY - 1))).toMatchObject({ retry: true, delayMs: DAY });
    expect(retryDecision('source', { status: 400 }, 16, FIRST, at(6 * DAY + 1))).toMatchObject({ retry: false, reason: expect.stringContaining('given up after retrying for 7 day(s)') });
  });

  it('CS2.8 source policy: every other failure is not retried (5xx, 429, 404, no answer)', () => {
    for (const status of [401, 404, 408, 429, 500, 503, undefined]) {
      expect(retryDecision('source', { status, retryAfter: '5' }, 1, FIRST, FIRST)).toMatchObject({ retry: false, reason: expect.stringContaining('not retried under the source policy') });
    }
  });

  it('CS2.8 standard policy: 408, 429, 5xx and network failures are retried, 5 s doubling to 10 min; 400/401/404 are not', () => {
    for (const status of [408, 429, 500, 502, 503, undefined]) expect(retryDecision('standard', { status }, 1, FIRST, FIRST)).toEqual({ retry: true, delayMs: 5_000 });
    expect(retryDecision('standard', { status: 503 }, 3, FIRST, FIRST)).toEqual({ retry: true, delayMs: 20_000 });
    expect(retryDecision('standard', { status: 503 }, 30, FIRST, FIRST)).toEqual({ retry: true, delayMs: 600_000 });
    for (const status of [400, 401, 403, 404, 409, 422]) expect(retryDecision('standard', { status }, 1, FIRST, FIRST)).toMatchObject({ retry: false });
  });

  it('CS2.8 standard policy honours Retry-After (seconds or an HTTP date) when it asks for longer than the back-off', () => {
    expect(retryDecision('standard', { status: 429, retryAfter: '120' }, 1, FIRST, FIRST)).toEqual({ retry: true, delayMs: 120_000 });
    expect(retryDecision('standard', { status: 503, retryAfter: 'Mon, 02 Mar 2026 14:05:00 GMT' }, 1, FIRST, FIRST)).toEqual({ retry: true, delayMs: 300_000 });
    expect(retryDecision('standard', { status: 429, retryAfter: '1' }, 2, FIRST, FIRST)).toEqual({ retry: true, delayMs: 10_000 });
    expect(retryDecision('standard', { status: 429, retryAfter: String(3 * DAY / 1000) }, 1, FIRST, FIRST)).toMatchObject({ retry: false, reason: expect.stringContaining('given up') });
  });

  it('reads Retry-After as delay-seconds or an HTTP date, and ignores what it cannot read', () => {
    expect(retryAfterMs('30', FIRST)).toBe(30_000);
    expect(retryAfterMs('Mon, 02 Mar 2026 13:00:00 GMT', FIRST)).toBe(0);
    expect(retryAfterMs('soon', FIRST)).toBeUndefined();
    expect(retryAfterMs(undefined, FIRST)).toBeUndefined();
  });
});
