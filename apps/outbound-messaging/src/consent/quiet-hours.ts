import { type ClockRange, computePermittedIntervals, nextPermittedInstant, parsePhoneNumber, resolveCalleeTimeZones, WEEKDAYS } from '@switchboard/contact-time';

const WHOLE_WEEK = Object.fromEntries(WEEKDAYS.map((day) => [day, [{ start: '00:00', end: '24:00' }]])) as Record<(typeof WEEKDAYS)[number], ClockRange[]>;
const LOOK_AHEAD_MS = 3 * 24 * 3_600_000;

/**
 * When an automated or scheduled message may leave: now if it is inside the customer's local hours (in
 * every zone their number may be in, as proactive-delivery's calls), else the next such instant. The
 * message is held (its due time), never dropped. A number whose zones share no permitted hour falls back
 * to its first zone; one the zone table does not know, to UTC.
 */
export function quietHoursDueAt(to: string, now: Date, hours: ClockRange): Date {
  const phone = parsePhoneNumber(to);
  const zones = phone.ok ? resolveCalleeTimeZones(phone.value) : [];
  for (const candidates of [zones, zones.slice(0, 1)]) {
    const permitted = computePermittedIntervals({
      windows: [{ start: now, end: new Date(now.getTime() + LOOK_AHEAD_MS) }],
      policy: { timeZone: candidates[0] ?? 'UTC', contactHours: WHOLE_WEEK, blackoutDates: [], calleeLocalHours: hours },
      calleeTimeZones: candidates,
      now,
    });
    const next = permitted.ok ? nextPermittedInstant(permitted.intervals, now) : null;
    if (next) return next;
  }
  return now;
}

/** `08:00-21:00` → a ClockRange; `off` → undefined (no quiet hours). */
export function parseQuietHours(text: string): ClockRange | undefined {
  if (text.trim().toLowerCase() === 'off') return undefined;
  const match = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not HH:mm-HH:mm or off`);
  return { start: `${match[1]}:${match[2]}`, end: `${match[3]}:${match[4]}` };
}
