import { describe, expect, it } from 'vitest';
import { capsFreeAt, decideAfterOutcome, RetryPolicy } from './delivery-rules';

const at = (iso: string) => new Date(iso);
const policy: RetryPolicy = { maxAttempts: 3, retryIntervalsSeconds: { busy: 300, no_answer: 600, voicemail: 3_600, failed: 120 } };
const permitted = [{ start: at('2026-03-02T09:00:00Z'), end: at('2026-03-02T17:00:00Z') }];

describe('after an outcome (PD4.4)', () => {
  it('completes on answered', () => {
    expect(decideAfterOutcome({ outcome: 'answered', attemptsMade: 1, policy, permitted, now: at('2026-03-02T10:00:00Z') })).toEqual({ status: 'Completed', reason: 'answered' });
  });

  it('retries after the outcome-specific interval', () => {
    const decision = decideAfterOutcome({ outcome: 'busy', attemptsMade: 1, policy, permitted, now: at('2026-03-02T10:00:00Z') });
    expect(decision).toEqual({ status: 'Retrying', nextAttemptAt: at('2026-03-02T10:05:00Z') });
    const voicemail = decideAfterOutcome({ outcome: 'voicemail', attemptsMade: 1, policy, permitted, now: at('2026-03-02T10:00:00Z') });
    expect(voicemail).toEqual({ status: 'Retrying', nextAttemptAt: at('2026-03-02T11:00:00Z') });
  });

  it('moves a retry that falls outside the permitted time to the next permitted instant', () => {
    const split = [...permitted, { start: at('2026-03-03T09:00:00Z'), end: at('2026-03-03T17:00:00Z') }];
    const decision = decideAfterOutcome({ outcome: 'voicemail', attemptsMade: 1, policy, permitted: split, now: at('2026-03-02T16:30:00Z') });
    expect(decision).toEqual({ status: 'Retrying', nextAttemptAt: at('2026-03-03T09:00:00Z') });
  });

  it('fails when the maximum number of attempts is reached', () => {
    const decision = decideAfterOutcome({ outcome: 'no_answer', attemptsMade: 3, policy, permitted, now: at('2026-03-02T10:00:00Z') });
    expect(decision.status).toBe('Failed');
  });

  it('expires when the last window closes before the next retry', () => {
    const decision = decideAfterOutcome({ outcome: 'voicemail', attemptsMade: 1, policy, permitted, now: at('2026-03-02T16:30:00Z') });
    expect(decision.status).toBe('Expired');
  });
});

describe('frequency cap (attempts per number per rolling period)', () => {
  const now = at('2026-03-02T12:00:00Z');
  const cap = { maxAttempts: 2, periodHours: 24 };

  it('allows a call while under the cap', () => {
    expect(capsFreeAt([cap], [at('2026-03-02T08:00:00Z')], now)).toEqual(now);
  });

  it('defers until the oldest counted attempt leaves the period', () => {
    const starts = [at('2026-03-01T09:00:00Z'), at('2026-03-02T08:00:00Z'), at('2026-03-02T10:00:00Z')];
    expect(capsFreeAt([cap], starts, now)).toEqual(at('2026-03-03T08:00:00Z'));
  });

  it('ignores attempts older than the period', () => {
    expect(capsFreeAt([cap], [at('2026-02-20T08:00:00Z'), at('2026-03-02T08:00:00Z')], now)).toEqual(now);
  });

  it('honours every cap: the later release wins', () => {
    const hourly = { maxAttempts: 1, periodHours: 1 };
    const starts = [at('2026-03-02T11:30:00Z')];
    expect(capsFreeAt([cap, hourly], starts, now)).toEqual(at('2026-03-02T12:30:00Z'));
  });
});
