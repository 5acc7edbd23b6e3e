import { describe, expect, it } from 'vitest';
import { afterFailedTry, JobFailedPermanently, jobRetryDelayMs, RetryJobLater } from './job';
import { defineJobQueue } from './job-queue';
import { z } from 'zod';

const policy = { maxAttempts: 4, initialDelayMs: 1_000, maxDelayMs: 5_000 };
const created = new Date('2026-12-01T10:00:00Z');
const now = new Date('2026-12-01T10:00:10Z');

describe('job retry policy', () => {
  it('doubles the delay after each failed try, up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => jobRetryDelayMs(policy, attempt))).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
    expect(jobRetryDelayMs({ ...policy, multiplier: 3, maxDelayMs: 100_000 }, 3)).toBe(9_000);
  });

  it('schedules the next try after the policy delay, and fails once maxAttempts tries were made', () => {
    expect(afterFailedTry(policy, { attempts: 2, createdAt: created }, new Error('boom'), now)).toEqual({ status: 'pending', runAt: new Date(now.getTime() + 2_000) });
    expect(afterFailedTry(policy, { attempts: 4, createdAt: created }, new Error('boom'), now)).toEqual({ status: 'failed', runAt: now });
  });

  it('takes the delay a handler asks for (a Retry-After), and fails at once on JobFailedPermanently', () => {
    expect(afterFailedTry(policy, { attempts: 1, createdAt: created }, new RetryJobLater('429', 30_000), now).runAt).toEqual(new Date(now.getTime() + 30_000));
    expect(afterFailedTry(policy, { attempts: 1, createdAt: created }, new JobFailedPermanently('404'), now).status).toBe('failed');
  });

  it('never schedules a retry past giveUpAfterMs from the job creation', () => {
    const week = { maxAttempts: 1_000, initialDelayMs: 60_000, maxDelayMs: 24 * 3_600_000, giveUpAfterMs: 7 * 24 * 3_600_000 };
    const sixDaysLater = new Date(created.getTime() + 6.5 * 24 * 3_600_000);
    expect(afterFailedTry(week, { attempts: 30, createdAt: created }, new Error('400'), sixDaysLater).status).toBe('failed');
    expect(afterFailedTry(week, { attempts: 3, createdAt: created }, new Error('400'), now).status).toBe('pending');
  });
});

describe('defineJobQueue', () => {
  it('takes dotted lower-case names and refuses others', () => {
    expect(defineJobQueue('crm-sync.outcome-email', z.object({})).name).toBe('crm-sync.outcome-email');
    expect(() => defineJobQueue('Crm Sync', z.object({}))).toThrow(/dotted lower-case/);
  });
});
