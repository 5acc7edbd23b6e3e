/** Days of the week in ISO order (Monday first), as used in configuration JSON. */
export const WEEKDAYS = [
  'mon',
  'tue',
  'wed',
  'thu',
  'fri',
  'sat',
  'sun',
] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A daily time range in local wall-clock time, "HH:mm"; `end` may be "24:00" (end of day). */
export interface ClockRange {
  readonly start: string;
  readonly end: string;
}

/** Contact hours per weekday; an empty list means no calls that day. */
export type WeeklyContactHours = Readonly<
  Record<Weekday, readonly ClockRange[]>
>;

/** A ClockRange as minutes after local midnight, [startMinute, endMinute). */
export interface MinuteRange {
  readonly startMinute: number;
  readonly endMinute: number;
}

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const MINUTES_PER_DAY = 24 * 60;

/** Whether the text is "HH:mm" (00:00–23:59), or exactly "24:00" when it is the end of a range. */
export function isClockTime(
  text: string,
  options: { endOfRange: boolean },
): boolean {
  return CLOCK_TIME.test(text) || (options.endOfRange && text === '24:00');
}

/** Minutes after midnight of a valid "HH:mm" (or "24:00"). */
export function clockTimeToMinutes(text: string): number {
  if (text === '24:00') return MINUTES_PER_DAY;
  const match = CLOCK_TIME.exec(text);
  if (!match)
    throw new RangeError(`Not a clock time "HH:mm": ${JSON.stringify(text)}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

export function toMinuteRange(range: ClockRange): MinuteRange {
  return {
    startMinute: clockTimeToMinutes(range.start),
    endMinute: clockTimeToMinutes(range.end),
  };
}

/** The whole local day, used for blackout dates. */
export const WHOLE_DAY: MinuteRange = {
  startMinute: 0,
  endMinute: MINUTES_PER_DAY,
};

/** Luxon numbers weekdays 1 (Monday) … 7 (Sunday). */
export function weekdayFromIsoNumber(isoWeekday: number): Weekday {
  const weekday = WEEKDAYS[isoWeekday - 1];
  if (!weekday)
    throw new RangeError(`Not an ISO weekday number: ${isoWeekday}`);
  return weekday;
}
