import { describe, expect, it } from 'vitest';
import {
  clockTimeToMinutes,
  isClockTime,
  toMinuteRange,
  weekdayFromIsoNumber,
} from './clock-time';

describe('clock times "HH:mm" (PD2.1)', () => {
  it.each(['00:00', '09:05', '23:59'])('accepts %s', (text) => {
    expect(isClockTime(text, { endOfRange: false })).toBe(true);
  });

  it.each([
    '24:00',
    '9:00',
    '09:60',
    '25:00',
    '09:00:00',
    ' 09:00',
    '0900',
    '',
  ])('rejects %j as a start', (text) => {
    expect(isClockTime(text, { endOfRange: false })).toBe(false);
  });

  it('accepts 24:00 only as the end of a range', () => {
    expect(isClockTime('24:00', { endOfRange: true })).toBe(true);
    expect(isClockTime('24:01', { endOfRange: true })).toBe(false);
  });

  it('converts to minutes after midnight', () => {
    expect(clockTimeToMinutes('00:00')).toBe(0);
    expect(clockTimeToMinutes('09:30')).toBe(570);
    expect(clockTimeToMinutes('24:00')).toBe(1440);
    expect(toMinuteRange({ start: '08:00', end: '21:00' })).toEqual({
      startMinute: 480,
      endMinute: 1260,
    });
  });

  it('throws on text that is not a clock time', () => {
    expect(() => clockTimeToMinutes('9am')).toThrow(RangeError);
  });

  it('maps ISO weekday numbers to names', () => {
    expect(weekdayFromIsoNumber(1)).toBe('mon');
    expect(weekdayFromIsoNumber(7)).toBe('sun');
    expect(() => weekdayFromIsoNumber(0)).toThrow(RangeError);
  });
});
