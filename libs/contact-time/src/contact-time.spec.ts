import { describe, expect, it } from 'vitest';
import { computePermittedIntervals, nextPermittedInstant, parsePhoneNumber, resolveCalleeTimeZones, WEEKDAYS, type ClockRange, type Weekday, type WeeklyContactHours } from './index';

const everyHour: WeeklyContactHours = Object.fromEntries(WEEKDAYS.map((day) => [day, [{ start: '00:00', end: '24:00' }]])) as Record<Weekday, ClockRange[]>;

/** A sender without contact hours of its own: only the callee's local (quiet) hours decide. */
function quietHoursFor(number: string, window: { start: string; end: string }, calleeLocalHours?: ClockRange) {
  const phone = parsePhoneNumber(number);
  if (!phone.ok) throw new Error(phone.reason);
  return computePermittedIntervals({
    windows: [{ start: new Date(window.start), end: new Date(window.end) }],
    policy: { timeZone: 'UTC', contactHours: everyHour, blackoutDates: [], ...(calleeLocalHours ? { calleeLocalHours } : {}) },
    calleeTimeZones: resolveCalleeTimeZones(phone.value),
    now: new Date(window.start),
  });
}

describe('quiet hours of a message sender, through the public API of contact-time (PD3.2)', () => {
  it('PD3.2 an Alaska number may be messaged only when 08:00–21:00 holds in both of its zones', () => {
    const permitted = quietHoursFor('+1 907 555 0123', { start: '2026-12-02T07:00:00.000Z', end: '2026-12-03T07:00:00.000Z' });

    // December: Adak is UTC−10 (08:00 = 18:00Z), Anchorage UTC−9 (21:00 = 06:00Z).
    expect(permitted).toEqual({ ok: true, intervals: [{ start: new Date('2026-12-02T18:00:00.000Z'), end: new Date('2026-12-03T06:00:00.000Z') }] });
    expect(nextPermittedInstant(permitted.ok ? permitted.intervals : [], new Date('2026-12-02T07:00:00.000Z'))).toEqual(new Date('2026-12-02T18:00:00.000Z'));
  });

  it('PD3.2 a rule narrower than the default is honoured in the callee zone, and says why nothing is left', () => {
    // 19:00Z is already 20:00 in Berlin (UTC+1 in December).
    const permitted = quietHoursFor('+49 30 123456', { start: '2026-12-02T19:00:00.000Z', end: '2026-12-02T22:00:00.000Z' }, { start: '09:00', end: '20:00' });

    expect(permitted).toMatchObject({ ok: false, reason: 'outside_callee_hours' });
  });
});
