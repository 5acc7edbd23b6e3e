import { describe, expect, it } from 'vitest';
import {
  clipIntervals,
  intersectIntervals,
  isWithinIntervals,
  mergeIntervals,
  nextPermittedInstant,
  subtractIntervals,
  type UtcInterval,
} from './utc-interval';

const at = (iso: string) => new Date(`2024-06-10T${iso}:00.000Z`);
const span = (start: string, end: string): UtcInterval => ({
  start: at(start),
  end: at(end),
});
const show = (intervals: UtcInterval[]) =>
  intervals.map(
    (i) =>
      `${i.start.toISOString().slice(11, 16)}-${i.end.toISOString().slice(11, 16)}`,
  );

describe('UTC interval algebra (PD3.2)', () => {
  it('merges overlapping and touching intervals, sorts them and drops empty ones', () => {
    const merged = mergeIntervals([
      span('10:00', '11:00'),
      span('08:00', '09:00'),
      span('09:00', '09:30'),
      span('10:30', '12:00'),
      span('13:00', '13:00'),
    ]);
    expect(show(merged)).toEqual(['08:00-09:30', '10:00-12:00']);
  });

  it('drops intervals whose end is before their start', () => {
    expect(mergeIntervals([span('10:00', '09:00')])).toEqual([]);
  });

  it('intersects two unsorted lists', () => {
    const a = [span('12:00', '14:00'), span('08:00', '10:00')];
    const b = [span('09:00', '13:00'), span('13:30', '15:00')];
    expect(show(intersectIntervals(a, b))).toEqual([
      '09:00-10:00',
      '12:00-13:00',
      '13:30-14:00',
    ]);
  });

  it('gives nothing when lists only touch (half-open intervals)', () => {
    expect(
      intersectIntervals([span('08:00', '09:00')], [span('09:00', '10:00')]),
    ).toEqual([]);
  });

  it('keeps one long interval against many short ones', () => {
    const short = [
      span('08:00', '08:10'),
      span('09:00', '09:10'),
      span('10:00', '10:10'),
    ];
    expect(show(intersectIntervals([span('08:05', '10:05')], short))).toEqual([
      '08:05-08:10',
      '09:00-09:10',
      '10:00-10:05',
    ]);
  });

  it('subtracts holes, including ones that cover an edge or the whole interval', () => {
    const from = [span('08:00', '12:00'), span('13:00', '14:00')];
    const holes = [
      span('07:00', '08:30'),
      span('09:00', '10:00'),
      span('11:30', '13:30'),
      span('13:45', '15:00'),
    ];
    expect(show(subtractIntervals(from, holes))).toEqual([
      '08:30-09:00',
      '10:00-11:30',
      '13:30-13:45',
    ]);
    expect(
      subtractIntervals([span('09:00', '10:00')], [span('08:00', '11:00')]),
    ).toEqual([]);
  });

  it('clips away time before a given instant', () => {
    expect(
      show(
        clipIntervals(
          [span('08:00', '09:00'), span('10:00', '12:00')],
          at('11:00'),
        ),
      ),
    ).toEqual(['11:00-12:00']);
  });
});

describe('nextPermittedInstant (PD3.2, PD4.1)', () => {
  const intervals = [span('10:00', '11:00'), span('08:00', '09:00')];

  it('returns the start of the first interval when now is before it', () => {
    expect(nextPermittedInstant(intervals, at('07:00'))).toEqual(at('08:00'));
  });

  it('returns now itself when now is inside an interval', () => {
    expect(nextPermittedInstant(intervals, at('08:30'))).toEqual(at('08:30'));
  });

  it('returns the next interval start when now is between intervals', () => {
    expect(nextPermittedInstant(intervals, at('09:15'))).toEqual(at('10:00'));
  });

  it('treats an interval ending exactly now as closed', () => {
    expect(nextPermittedInstant(intervals, at('09:00'))).toEqual(at('10:00'));
  });

  it('returns null once every interval has closed (the delivery expired)', () => {
    expect(nextPermittedInstant(intervals, at('11:00'))).toBeNull();
    expect(nextPermittedInstant([], at('11:00'))).toBeNull();
  });

  it('tells whether an instant is inside', () => {
    expect(isWithinIntervals(intervals, at('10:59'))).toBe(true);
    expect(isWithinIntervals(intervals, at('09:30'))).toBe(false);
    expect(isWithinIntervals(intervals, at('11:00'))).toBe(false);
  });
});
