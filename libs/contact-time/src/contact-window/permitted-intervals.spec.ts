import { describe, expect, it } from 'vitest';
import type { ClockRange, WeeklyContactHours } from './clock-time';
import {
  computePermittedIntervals,
  type ContactPolicy,
  type PermittedIntervalsResult,
} from './permitted-intervals';
import { nextPermittedInstant, type UtcInterval } from './utc-interval';

const interval = (start: string, end: string): UtcInterval => ({
  start: new Date(start),
  end: new Date(end),
});
const weekdays = (ranges: ClockRange[]): WeeklyContactHours => ({
  mon: ranges,
  tue: ranges,
  wed: ranges,
  thu: ranges,
  fri: ranges,
  sat: [],
  sun: [],
});
const allWeek = (ranges: ClockRange[]): WeeklyContactHours => ({
  ...weekdays(ranges),
  sat: ranges,
  sun: ranges,
});
const policy = (overrides: Partial<ContactPolicy>): ContactPolicy => ({
  timeZone: 'Europe/Berlin',
  contactHours: weekdays([{ start: '09:00', end: '17:00' }]),
  blackoutDates: [],
  ...overrides,
});

function intervalsOf(result: PermittedIntervalsResult): string[] {
  if (!result.ok)
    throw new Error(
      `expected permitted intervals, got ${result.reason}: ${result.message}`,
    );
  return result.intervals.map(
    (i) => `${i.start.toISOString()}/${i.end.toISOString()}`,
  );
}

describe('computePermittedIntervals: windows ∩ contact hours ∩ callee hours (PD3.2)', () => {
  it("PD3.2 the seed's sample windows fit inside Mon–Fri 09:00–17:00 America/New_York", () => {
    const result = computePermittedIntervals({
      windows: [
        interval('2024-09-10T13:00:00.000Z', '2024-09-10T15:59:59.999Z'),
        interval('2024-09-11T13:00:00.000Z', '2024-09-11T15:59:59.999Z'),
      ],
      policy: policy({ timeZone: 'America/New_York' }),
      calleeTimeZones: ['America/New_York'],
    });
    expect(intervalsOf(result)).toEqual([
      '2024-09-10T13:00:00.000Z/2024-09-10T15:59:59.999Z',
      '2024-09-11T13:00:00.000Z/2024-09-11T15:59:59.999Z',
    ]);
  });

  it('PD3.2 the stricter rule wins: Berlin office hours, but the callee in New York is asleep until 08:00', () => {
    // Berlin 09:00–17:00 CEST is 07:00Z–15:00Z; New York 08:00 EDT is 12:00Z.
    const result = computePermittedIntervals({
      windows: [
        interval('2024-06-10T00:00:00.000Z', '2024-06-11T00:00:00.000Z'),
      ],
      policy: policy({}),
      calleeTimeZones: ['America/New_York'],
    });
    expect(intervalsOf(result)).toEqual([
      '2024-06-10T12:00:00.000Z/2024-06-10T15:00:00.000Z',
    ]);
  });

  it('PD3.2 the callee rule also cuts the evening: contact hours to 23:00 stop at 21:00 local', () => {
    const result = computePermittedIntervals({
      windows: [
        interval('2024-06-10T00:00:00.000Z', '2024-06-11T06:00:00.000Z'),
      ],
      policy: policy({
        timeZone: 'America/New_York',
        contactHours: weekdays([{ start: '18:00', end: '23:00' }]),
      }),
      calleeTimeZones: ['America/New_York'],
    });
    expect(intervalsOf(result)).toEqual([
      '2024-06-10T22:00:00.000Z/2024-06-11T01:00:00.000Z',
    ]);
  });

  it('PD3.2 a window spanning midnight keeps the evening part the callee allows and drops the early morning', () => {
    // New York Tue 19:00–21:00 EDT (23:00Z–01:00Z) is 16:00–18:00 in Los Angeles: allowed.
    // New York Wed 09:00–10:00 EDT (13:00Z–14:00Z) is 06:00–07:00 in Los Angeles: too early.
    const result = computePermittedIntervals({
      windows: [
        interval('2024-06-11T23:00:00.000Z', '2024-06-12T14:00:00.000Z'),
      ],
      policy: policy({
        timeZone: 'America/New_York',
        contactHours: weekdays([{ start: '09:00', end: '21:00' }]),
      }),
      calleeTimeZones: ['America/Los_Angeles'],
    });
    expect(intervalsOf(result)).toEqual([
      '2024-06-11T23:00:00.000Z/2024-06-12T01:00:00.000Z',
    ]);
  });

  it("PD3.2 an unknown callee zone means the callee rule is applied in the configuration's zone", () => {
    const result = computePermittedIntervals({
      windows: [
        interval('2024-06-10T00:00:00.000Z', '2024-06-11T00:00:00.000Z'),
      ],
      policy: policy({
        contactHours: allWeek([{ start: '00:00', end: '24:00' }]),
      }),
      calleeTimeZones: [],
    });
    expect(intervalsOf(result)).toEqual([
      '2024-06-10T06:00:00.000Z/2024-06-10T19:00:00.000Z',
    ]);
  });

  it('PD3.2 a number whose area code spans two zones is called only when both allow it (Alaska, 907)', () => {
    // America/Adak is one hour behind America/Anchorage: 09:00–21:00 Anchorage = 08:00–20:00 Adak.
    const result = computePermittedIntervals({
      windows: [
        interval('2024-06-10T00:00:00.000Z', '2024-06-12T00:00:00.000Z'),
      ],
      policy: policy({
        timeZone: 'UTC',
        contactHours: allWeek([{ start: '00:00', end: '24:00' }]),
      }),
      calleeTimeZones: ['America/Adak', 'America/Anchorage'],
    });
    // Anchorage is UTC-8 in summer: 09:00 = 17:00Z, 21:00 = 05:00Z next day.
    expect(intervalsOf(result)).toEqual([
      '2024-06-10T00:00:00.000Z/2024-06-10T05:00:00.000Z',
      '2024-06-10T17:00:00.000Z/2024-06-11T05:00:00.000Z',
      '2024-06-11T17:00:00.000Z/2024-06-12T00:00:00.000Z',
    ]);
  });

  it('PD3.2 zones spread Guam to Newfoundland (NANP toll-free) leave only 22:00Z–00:30Z in winter', () => {
    const result = computePermittedIntervals({
      windows: [
        interval('2024-01-15T00:00:00.000Z', '2024-01-16T00:00:00.000Z'),
      ],
      policy: policy({
        timeZone: 'UTC',
        contactHours: allWeek([{ start: '00:00', end: '24:00' }]),
      }),
      calleeTimeZones: [
        'Pacific/Pago_Pago',
        'Pacific/Guam',
        'America/St_Johns',
        'America/New_York',
      ],
    });
    expect(intervalsOf(result)).toEqual([
      '2024-01-15T00:00:00.000Z/2024-01-15T00:30:00.000Z',
      '2024-01-15T22:00:00.000Z/2024-01-16T00:00:00.000Z',
    ]);
  });

  it('PD3.2 candidate zones with no common 08:00–21:00 hour make the number uncallable: refused, naming them', () => {
    // London 07:00Z–20:00Z ∩ Shanghai 00:00Z–13:00Z ∩ Los Angeles 15:00Z–04:00Z is empty every day.
    const zones = [
      'Europe/London',
      'Asia/Shanghai',
      'America/Los_Angeles',
      'Asia/Tokyo',
      'Australia/Sydney',
      'Pacific/Auckland',
      'America/New_York',
    ];
    const result = computePermittedIntervals({
      windows: [
        interval('2024-06-10T00:00:00.000Z', '2024-06-17T00:00:00.000Z'),
      ],
      policy: policy({
        timeZone: 'UTC',
        contactHours: allWeek([{ start: '00:00', end: '24:00' }]),
      }),
      calleeTimeZones: zones,
    });
    expect(result).toEqual({
      ok: false,
      reason: 'outside_callee_hours',
      message:
        "Windows meet the configuration's contact hours only outside 08:00–21:00 local time of the callee " +
        "(the destination number's time zones, all of which must allow the call: Europe/London, Asia/Shanghai, America/Los_Angeles, Asia/Tokyo, Australia/Sydney and 2 more)",
    });
  });

  it('PD3.2 a configured narrower callee rule applies instead of 08:00–21:00', () => {
    const result = computePermittedIntervals({
      windows: [
        interval('2024-06-10T00:00:00.000Z', '2024-06-11T00:00:00.000Z'),
      ],
      policy: policy({
        timeZone: 'UTC',
        contactHours: allWeek([{ start: '00:00', end: '24:00' }]),
        calleeLocalHours: { start: '10:00', end: '18:00' },
      }),
      calleeTimeZones: ['UTC'],
    });
    expect(intervalsOf(result)).toEqual([
      '2024-06-10T10:00:00.000Z/2024-06-10T18:00:00.000Z',
    ]);
  });

  it('PD3.2 blackout dates remove whole local days in the configuration zone', () => {
    const result = computePermittedIntervals({
      windows: [
        interval('2024-12-23T00:00:00.000Z', '2024-12-28T00:00:00.000Z'),
      ],
      policy: policy({
        blackoutDates: ['2024-12-24', '2024-12-25', '2024-12-26'],
      }),
      calleeTimeZones: ['Europe/Berlin'],
    });
    expect(intervalsOf(result)).toEqual([
      '2024-12-23T08:00:00.000Z/2024-12-23T16:00:00.000Z',
      '2024-12-27T08:00:00.000Z/2024-12-27T16:00:00.000Z',
    ]);
  });

  it('PD3.2 a blackout date is a day of the configuration zone, not a UTC day', () => {
    // 2024-07-04 in New York is 04:00Z on the 4th to 04:00Z on the 5th.
    const result = computePermittedIntervals({
      windows: [
        interval('2024-07-04T00:00:00.000Z', '2024-07-05T12:00:00.000Z'),
      ],
      policy: policy({
        timeZone: 'America/New_York',
        contactHours: allWeek([{ start: '00:00', end: '24:00' }]),
        blackoutDates: ['2024-07-04'],
      }),
      calleeTimeZones: ['UTC'],
    });
    // 00:00Z–04:00Z of the 4th is still the 3rd in New York (not blacked out) but night for a callee
    // in UTC; 04:00Z of the 4th to 04:00Z of the 5th is the blackout day; the 5th keeps 08:00Z–12:00Z.
    expect(intervalsOf(result)).toEqual([
      '2024-07-05T08:00:00.000Z/2024-07-05T12:00:00.000Z',
    ]);
  });

  it('PD3.2 refuses windows that only meet contact hours on blackout dates, naming the dates', () => {
    const result = computePermittedIntervals({
      windows: [
        interval('2024-12-25T00:00:00.000Z', '2024-12-26T23:00:00.000Z'),
      ],
      policy: policy({
        blackoutDates: ['2024-12-25', '2024-12-26', '2025-01-01'],
      }),
      calleeTimeZones: [],
    });
    expect(result).toEqual({
      ok: false,
      reason: 'only_blackout_dates',
      message:
        "Windows meet the configuration's contact hours only on blackout dates (2024-12-25, 2024-12-26 in Europe/Berlin)",
    });
  });

  it('PD3.2 refuses windows outside the contact hours with a message describing them', () => {
    // 2024-06-15 is a Saturday.
    const result = computePermittedIntervals({
      windows: [
        interval('2024-06-15T08:00:00.000Z', '2024-06-15T16:00:00.000Z'),
      ],
      policy: policy({}),
      calleeTimeZones: ['Europe/Berlin'],
    });
    expect(result).toEqual({
      ok: false,
      reason: 'outside_contact_hours',
      message:
        "Windows do not intersect the configuration's contact hours (Mon–Fri 09:00–17:00 Europe/Berlin)",
    });
  });

  it('PD3.2 refuses when the callee zone is unknown and the time is night in the configuration zone', () => {
    const result = computePermittedIntervals({
      windows: [
        interval('2024-06-10T20:00:00.000Z', '2024-06-11T02:00:00.000Z'),
      ],
      policy: policy({
        contactHours: allWeek([{ start: '00:00', end: '24:00' }]),
      }),
      calleeTimeZones: [],
    });
    expect(result.ok || result.message).toBe(
      "Windows meet the configuration's contact hours only outside 08:00–21:00 local time of the callee " +
        "(the destination number's zone is unknown, so the configuration's zone is assumed: Europe/Berlin)",
    );
  });

  it('PD3.2 with `now` given, time already past is discarded; wholly past windows are refused', () => {
    const windows = [
      interval('2024-06-10T00:00:00.000Z', '2024-06-11T00:00:00.000Z'),
    ];
    const base = {
      windows,
      policy: policy({}),
      calleeTimeZones: ['Europe/Berlin'],
    };
    expect(
      intervalsOf(
        computePermittedIntervals({
          ...base,
          now: new Date('2024-06-10T10:00:00.000Z'),
        }),
      ),
    ).toEqual(['2024-06-10T10:00:00.000Z/2024-06-10T15:00:00.000Z']);
    expect(
      computePermittedIntervals({
        ...base,
        now: new Date('2024-06-11T00:00:00.000Z'),
      }),
    ).toEqual({
      ok: false,
      reason: 'windows_elapsed',
      message:
        'All windows have already ended (the last at 2024-06-11T00:00:00.000Z; now is 2024-06-11T00:00:00.000Z)',
    });
    expect(computePermittedIntervals({ ...base, windows: [] })).toMatchObject({
      reason: 'windows_elapsed',
      message: 'No windows were given',
    });
    // Still inside the window but after today's contact hours: nothing usable is left.
    expect(
      computePermittedIntervals({
        ...base,
        now: new Date('2024-06-10T16:00:00.000Z'),
      }),
    ).toMatchObject({
      ok: false,
      reason: 'outside_contact_hours',
    });
  });

  it('PD3.2 New York spring-forward day: the result follows EDT and nextPermittedInstant finds it', () => {
    const result = computePermittedIntervals({
      windows: [
        interval('2024-03-08T00:00:00.000Z', '2024-03-12T00:00:00.000Z'),
      ],
      policy: policy({
        timeZone: 'America/New_York',
        contactHours: allWeek([{ start: '09:00', end: '17:00' }]),
      }),
      calleeTimeZones: ['America/New_York'],
    });
    const intervals = intervalsOf(result);
    expect(intervals).toEqual([
      '2024-03-08T14:00:00.000Z/2024-03-08T22:00:00.000Z',
      '2024-03-09T14:00:00.000Z/2024-03-09T22:00:00.000Z',
      '2024-03-10T13:00:00.000Z/2024-03-10T21:00:00.000Z',
      '2024-03-11T13:00:00.000Z/2024-03-11T21:00:00.000Z',
    ]);
    const next = nextPermittedInstant(
      result.ok ? result.intervals : [],
      new Date('2024-03-09T23:00:00.000Z'),
    );
    expect(next?.toISOString()).toBe('2024-03-10T13:00:00.000Z');
  });

  it('PD3.2 overlapping, unordered windows are merged first', () => {
    const result = computePermittedIntervals({
      windows: [
        interval('2024-06-10T12:00:00.000Z', '2024-06-10T14:00:00.000Z'),
        interval('2024-06-10T08:00:00.000Z', '2024-06-10T13:00:00.000Z'),
      ],
      policy: policy({}),
      calleeTimeZones: ['Europe/Berlin'],
    });
    expect(intervalsOf(result)).toEqual([
      '2024-06-10T08:00:00.000Z/2024-06-10T14:00:00.000Z',
    ]);
  });

  it('throws on an invalid zone: configurations and phone zones are validated before this point', () => {
    expect(() =>
      computePermittedIntervals({
        windows: [
          interval('2024-06-10T00:00:00.000Z', '2024-06-11T00:00:00.000Z'),
        ],
        policy: policy({ timeZone: 'Nowhere' }),
        calleeTimeZones: [],
      }),
    ).toThrow(RangeError);
  });
});
