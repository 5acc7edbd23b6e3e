import { describe, expect, it } from 'vitest';
import { toMinuteRange, type ClockRange } from './clock-time';
import { localDaysTouching, localHoursWithin } from './local-hours';
import type { UtcInterval } from './utc-interval';

const interval = (start: string, end: string): UtcInterval => ({
  start: new Date(start),
  end: new Date(end),
});
const show = (intervals: UtcInterval[]) =>
  intervals.map((i) => `${i.start.toISOString()}/${i.end.toISOString()}`);
const everyDay = (range: ClockRange) => () => [toMinuteRange(range)];
const wholeDayUtc = (date: string) => [
  interval(`${date}T00:00:00.000Z`, `${date}T23:59:59.999Z`),
];

describe('local wall-clock hours in a zone, DST-correct (PD3.2)', () => {
  it('America/New_York spring-forward: a range across the skipped hour loses that hour', () => {
    // 2024-03-10 02:00 EST jumps to 03:00 EDT (07:00Z): 01:00–04:00 local is only two real hours.
    const within = [
      interval('2024-03-10T00:00:00.000Z', '2024-03-11T00:00:00.000Z'),
    ];
    const result = localHoursWithin(
      'America/New_York',
      everyDay({ start: '01:00', end: '04:00' }),
      within,
    );
    expect(show(result)).toEqual([
      '2024-03-10T06:00:00.000Z/2024-03-10T08:00:00.000Z',
    ]);
  });

  it('America/New_York spring-forward: 09:00–17:00 moves one hour earlier in UTC from that day on', () => {
    const within = [
      interval('2024-03-09T00:00:00.000Z', '2024-03-11T00:00:00.000Z'),
    ];
    const result = localHoursWithin(
      'America/New_York',
      everyDay({ start: '09:00', end: '17:00' }),
      within,
    );
    expect(show(result)).toEqual([
      '2024-03-09T14:00:00.000Z/2024-03-09T22:00:00.000Z',
      '2024-03-10T13:00:00.000Z/2024-03-10T21:00:00.000Z',
    ]);
  });

  it('America/New_York fall-back: a range covering the repeated hour includes both occurrences', () => {
    // 2024-11-03 02:00 EDT falls back to 01:00 EST (06:00Z): 01:00–02:00 local lasts two real hours.
    const within = wholeDayUtc('2024-11-03');
    const result = localHoursWithin(
      'America/New_York',
      everyDay({ start: '01:00', end: '02:00' }),
      within,
    );
    expect(show(result)).toEqual([
      '2024-11-03T05:00:00.000Z/2024-11-03T07:00:00.000Z',
    ]);
  });

  it('America/New_York fall-back: a quarter hour inside the repeated hour happens twice', () => {
    const within = wholeDayUtc('2024-11-03');
    const result = localHoursWithin(
      'America/New_York',
      everyDay({ start: '01:30', end: '01:45' }),
      within,
    );
    expect(show(result)).toEqual([
      '2024-11-03T05:30:00.000Z/2024-11-03T05:45:00.000Z',
      '2024-11-03T06:30:00.000Z/2024-11-03T06:45:00.000Z',
    ]);
  });

  it('America/New_York fall-back: 09:00–17:00 moves one hour later in UTC', () => {
    const within = [
      interval('2024-11-02T00:00:00.000Z', '2024-11-04T00:00:00.000Z'),
    ];
    const result = localHoursWithin(
      'America/New_York',
      everyDay({ start: '09:00', end: '17:00' }),
      within,
    );
    expect(show(result)).toEqual([
      '2024-11-02T13:00:00.000Z/2024-11-02T21:00:00.000Z',
      '2024-11-03T14:00:00.000Z/2024-11-03T22:00:00.000Z',
    ]);
  });

  it('Europe/Berlin across its spring-forward weekend (CET to CEST on 2024-03-31)', () => {
    const within = [
      interval('2024-03-29T00:00:00.000Z', '2024-04-02T00:00:00.000Z'),
    ];
    const weekdaysOnly = (day: { weekday: number }) =>
      day.weekday <= 5 ? [toMinuteRange({ start: '09:00', end: '17:00' })] : [];
    const result = localHoursWithin('Europe/Berlin', weekdaysOnly, within);
    expect(show(result)).toEqual([
      '2024-03-29T08:00:00.000Z/2024-03-29T16:00:00.000Z',
      '2024-04-01T07:00:00.000Z/2024-04-01T15:00:00.000Z',
    ]);
  });

  it('Europe/Berlin: the skipped 02:00–03:00 hour of 2024-03-31 contains no instant at all', () => {
    const result = localHoursWithin(
      'Europe/Berlin',
      everyDay({ start: '02:00', end: '03:00' }),
      wholeDayUtc('2024-03-31'),
    );
    expect(result).toEqual([]);
  });

  it('Australia/Lord_Howe spring-forward skips only 30 minutes (02:00 → 02:30 on 2024-10-06)', () => {
    const within = [
      interval('2024-10-05T00:00:00.000Z', '2024-10-06T12:00:00.000Z'),
    ];
    const result = localHoursWithin(
      'Australia/Lord_Howe',
      everyDay({ start: '02:00', end: '03:00' }),
      within,
    );
    // 02:00 +10:30 is the transition instant 15:30Z; 03:00 +11:00 is 16:00Z.
    expect(show(result)).toEqual([
      '2024-10-05T15:30:00.000Z/2024-10-05T16:00:00.000Z',
    ]);
  });

  it('Australia/Lord_Howe fall-back repeats 30 minutes (02:00 → 01:30 on 2024-04-07)', () => {
    const within = [
      interval('2024-04-06T00:00:00.000Z', '2024-04-07T12:00:00.000Z'),
    ];
    const result = localHoursWithin(
      'Australia/Lord_Howe',
      everyDay({ start: '01:30', end: '02:00' }),
      within,
    );
    expect(show(result)).toEqual([
      '2024-04-06T14:30:00.000Z/2024-04-06T15:30:00.000Z',
    ]);
  });

  it('a day whose midnight is skipped (America/Santiago, 2024-09-08) still starts at its first instant', () => {
    // Clocks jump from 24:00 to 01:00, so local 00:00–02:00 that day is one real hour, 04:00Z–05:00Z.
    const within = [
      interval('2024-09-07T12:00:00.000Z', '2024-09-08T12:00:00.000Z'),
    ];
    const result = localHoursWithin(
      'America/Santiago',
      everyDay({ start: '00:00', end: '02:00' }),
      within,
    );
    expect(show(result)).toEqual([
      '2024-09-08T04:00:00.000Z/2024-09-08T05:00:00.000Z',
    ]);
  });

  it('a window spanning local midnight picks up the hours of both days', () => {
    const lateAndEarly = () => [
      toMinuteRange({ start: '20:00', end: '24:00' }),
      toMinuteRange({ start: '00:00', end: '02:00' }),
    ];
    // 19:00Z–02:00Z is 21:00–04:00 CEST.
    const within = [
      interval('2024-06-10T19:00:00.000Z', '2024-06-11T02:00:00.000Z'),
    ];
    expect(
      show(localHoursWithin('Europe/Berlin', lateAndEarly, within)),
    ).toEqual(['2024-06-10T19:00:00.000Z/2024-06-11T00:00:00.000Z']);
  });

  it('never returns time outside the given intervals', () => {
    const within = [
      interval('2024-06-10T10:15:00.000Z', '2024-06-10T10:45:00.000Z'),
    ];
    expect(
      show(
        localHoursWithin(
          'UTC',
          everyDay({ start: '00:00', end: '24:00' }),
          within,
        ),
      ),
    ).toEqual(['2024-06-10T10:15:00.000Z/2024-06-10T10:45:00.000Z']);
  });

  it('throws for an unknown zone', () => {
    expect(() =>
      localHoursWithin(
        'Mars/Olympus_Mons',
        everyDay({ start: '00:00', end: '24:00' }),
        wholeDayUtc('2024-06-10'),
      ),
    ).toThrow(/Unknown IANA time zone/);
  });
});

describe('localDaysTouching', () => {
  it('lists each local day once even when intervals share a day', () => {
    const within = [
      interval('2024-06-10T06:00:00.000Z', '2024-06-10T07:00:00.000Z'),
      interval('2024-06-10T20:00:00.000Z', '2024-06-11T01:00:00.000Z'),
    ];
    // In Tokyo (+09:00) these are 15:00–16:00 on the 10th and 05:00–10:00 on the 11th.
    expect(
      localDaysTouching(within, 'Asia/Tokyo').map((day) => day.isoDate),
    ).toEqual(['2024-06-10', '2024-06-11']);
    expect(
      localDaysTouching(within, 'America/Los_Angeles').map(
        (day) => day.isoDate,
      ),
    ).toEqual(['2024-06-09', '2024-06-10']);
  });

  it('does not count a day that an interval only reaches with its (excluded) end', () => {
    const within = [
      interval('2024-06-10T12:00:00.000Z', '2024-06-11T00:00:00.000Z'),
    ];
    expect(localDaysTouching(within, 'UTC').map((day) => day.isoDate)).toEqual([
      '2024-06-10',
    ]);
  });
});
