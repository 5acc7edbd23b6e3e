import { describe, expect, it } from 'vitest';
import { cronProblem, isTimeZone, nextOccurrence } from './recurrence';

describe('recurrences (OM4.3)', () => {
  it('OM4.3 the next occurrence is read in the schedule\'s time zone, daylight saving included', () => {
    expect(nextOccurrence('0 9 * * *', 'Europe/Paris', new Date('2026-03-28T12:00:00Z'))?.toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect(nextOccurrence('0 9 * * *', 'Europe/Paris', new Date('2026-03-27T12:00:00Z'))?.toISOString()).toBe('2026-03-28T08:00:00.000Z');
    expect(nextOccurrence('30 8 * * MON', 'America/New_York', new Date('2026-12-02T00:00:00Z'))?.toISOString()).toBe('2026-12-07T13:30:00.000Z');
  });

  it('OM4.3 five fields only, valid values, and a pattern that occurs', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(cronProblem('*/15 8-18 * * MON-FRI', 'UTC', now)).toBeUndefined();
    expect(cronProblem('* * * * * *', 'UTC', now)).toMatch(/five fields/);
    expect(cronProblem('61 * * * *', 'UTC', now)).toMatch(/minute/);
    expect(cronProblem('0 0 30 2 *', 'UTC', now)).toBe('never occurs');
    expect([isTimeZone('Europe/Paris'), isTimeZone('UTC'), isTimeZone('Mars/Olympus')]).toEqual([true, true, false]);
  });
});
