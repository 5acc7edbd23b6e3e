import { describe, expect, it } from 'vitest';
import { parseQuietHours, quietHoursDueAt } from './quiet-hours';

const HOURS = { start: '08:00', end: '21:00' };

describe('quiet hours for automated and scheduled messages', () => {
  it('holds a message until 08:00 in the customer\'s zone; inside the hours it leaves now', () => {
    // 05:00Z is 06:00 in Paris (CET): held to 08:00 Paris = 07:00Z.
    expect(quietHoursDueAt('+33612345678', new Date('2026-12-02T05:00:00Z'), HOURS).toISOString()).toBe('2026-12-02T07:00:00.000Z');
    expect(quietHoursDueAt('+33612345678', new Date('2026-12-02T10:00:00Z'), HOURS).toISOString()).toBe('2026-12-02T10:00:00.000Z');
    // 22:30 in San Francisco (PST) → 08:00 the next morning = 16:00Z.
    expect(quietHoursDueAt('+14155552671', new Date('2026-12-03T06:30:00Z'), HOURS).toISOString()).toBe('2026-12-03T16:00:00.000Z');
  });

  it('reads HH:mm-HH:mm or off', () => {
    expect(parseQuietHours('08:00-21:00')).toEqual(HOURS);
    expect(parseQuietHours('off')).toBeUndefined();
    expect(() => parseQuietHours('8-21')).toThrow(/HH:mm/);
  });
});
