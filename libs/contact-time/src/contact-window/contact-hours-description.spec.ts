import { describe, expect, it } from 'vitest';
import type { WeeklyContactHours } from './clock-time';
import { describeList, describeWeeklyHours } from './contact-hours-description';

const nineToFive = [{ start: '09:00', end: '17:00' }];
const none: never[] = [];

describe('describeWeeklyHours (PD3.2 error messages)', () => {
  it('groups consecutive days with the same hours', () => {
    const hours: WeeklyContactHours = {
      mon: nineToFive,
      tue: nineToFive,
      wed: nineToFive,
      thu: nineToFive,
      fri: nineToFive,
      sat: none,
      sun: none,
    };
    expect(describeWeeklyHours(hours, 'Europe/Berlin')).toBe(
      'Mon–Fri 09:00–17:00 Europe/Berlin',
    );
  });

  it('does not group equal days that are not adjacent, and lists split ranges', () => {
    const split = [
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ];
    const hours: WeeklyContactHours = {
      mon: nineToFive,
      tue: split,
      wed: nineToFive,
      thu: none,
      fri: none,
      sat: none,
      sun: [{ start: '10:00', end: '24:00' }],
    };
    expect(describeWeeklyHours(hours, 'UTC')).toBe(
      'Mon 09:00–17:00; Tue 09:00–12:00, 13:00–17:00; Wed 09:00–17:00; Sun 10:00–24:00 UTC',
    );
  });

  it('says so when there are no hours at all', () => {
    const hours: WeeklyContactHours = {
      mon: none,
      tue: none,
      wed: none,
      thu: none,
      fri: none,
      sat: none,
      sun: none,
    };
    expect(describeWeeklyHours(hours, 'UTC')).toBe('no hours on any day, UTC');
  });

  it('shortens long lists', () => {
    expect(describeList(['a', 'b'])).toBe('a, b');
    expect(describeList(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toBe(
      'a, b, c, d, e and 2 more',
    );
  });
});
