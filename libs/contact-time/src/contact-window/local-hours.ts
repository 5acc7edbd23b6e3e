import { IANAZone } from 'luxon';
import type { MinuteRange } from './clock-time';
import { mergeIntervals, type UtcInterval } from './utc-interval';

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

/** A calendar day on a zone's wall clock. */
export interface LocalDay {
  /** "yyyy-MM-dd" */
  readonly isoDate: string;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  readonly weekday: number;
}

/** Which wall-clock ranges apply on a given local day (e.g. the weekday's contact hours). */
export type RangesForDay = (day: LocalDay) => readonly MinuteRange[];

/** Throws on anything luxon does not know as an IANA zone: callers validate input first. */
export function requireZone(zone: string): IANAZone {
  if (!IANAZone.create(zone).isValid)
    throw new RangeError(`Unknown IANA time zone: ${JSON.stringify(zone)}`);
  return IANAZone.create(zone);
}

interface OffsetSegment {
  readonly from: number;
  readonly to: number;
  readonly offsetMs: number;
}

const offsetMsAt = (zone: IANAZone, instant: number) =>
  zone.offset(instant) * MS_PER_MINUTE;

/** First millisecond in (unchanged, changed] whose offset differs from the one at `unchanged`. */
function findTransition(
  zone: IANAZone,
  unchanged: number,
  changed: number,
): number {
  const before = offsetMsAt(zone, unchanged);
  while (changed - unchanged > 1) {
    const middle = Math.floor((unchanged + changed) / 2);
    if (offsetMsAt(zone, middle) === before) unchanged = middle;
    else changed = middle;
  }
  return changed;
}

/**
 * The offset stretches of one UTC day [dayStart, dayStart + 1 day): the offset is probed at both ends and
 * a change located to the millisecond; real tz data never has two transitions within one day.
 */
function dayOffsetSegments(zone: IANAZone, dayStart: number): OffsetSegment[] {
  const dayEnd = dayStart + MS_PER_DAY;
  const offsetMs = offsetMsAt(zone, dayStart);
  if (offsetMsAt(zone, dayEnd - 1) === offsetMs) return [{ from: dayStart, to: dayEnd, offsetMs }];
  const transition = findTransition(zone, dayStart, dayEnd - 1);
  return [
    { from: dayStart, to: transition, offsetMs },
    { from: transition, to: dayEnd, offsetMs: offsetMsAt(zone, transition) },
  ];
}

// A day's stretches depend on the zone and the day alone, and windows cluster on the next few days, so
// they are kept: each probe is an Intl formatToParts call, the costliest step of a create request.
const DAY_SEGMENTS_KEPT = 20_000;
const daySegmentsKept = new Map<string, OffsetSegment[]>();

function keptDayOffsetSegments(zone: IANAZone, dayStart: number): OffsetSegment[] {
  const key = `${zone.name} ${dayStart}`;
  let segments = daySegmentsKept.get(key);
  if (!segments) {
    if (daySegmentsKept.size >= DAY_SEGMENTS_KEPT) daySegmentsKept.clear();
    segments = dayOffsetSegments(zone, dayStart);
    daySegmentsKept.set(key, segments);
  }
  return segments;
}

/** Splits [from, to) where the zone's UTC offset changes, from the stretches of each UTC day it touches. */
function offsetSegments(zone: IANAZone, from: number, to: number): OffsetSegment[] {
  const segments: OffsetSegment[] = [];
  for (let dayStart = Math.floor(from / MS_PER_DAY) * MS_PER_DAY; dayStart < to; dayStart += MS_PER_DAY) {
    for (const day of keptDayOffsetSegments(zone, dayStart)) {
      const piece = { from: Math.max(day.from, from), to: Math.min(day.to, to), offsetMs: day.offsetMs };
      if (piece.from >= piece.to) continue;
      const last = segments.at(-1);
      if (last && last.offsetMs === piece.offsetMs) segments[segments.length - 1] = { ...last, to: piece.to };
      else segments.push(piece);
    }
  }
  return segments;
}

/** A stretch of instants that share one offset and one local calendar day. */
interface LocalDayPiece {
  readonly day: LocalDay;
  /** The local day's midnight as if the wall clock were UTC (wall time = instant + offset). */
  readonly wallMidnight: number;
  readonly segment: OffsetSegment;
}

function localDay(wallMidnight: number): LocalDay {
  const date = new Date(wallMidnight);
  return {
    isoDate: date.toISOString().slice(0, 10),
    weekday: ((date.getUTCDay() + 6) % 7) + 1,
  };
}

function* localDayPieces(
  zone: IANAZone,
  within: readonly UtcInterval[],
): Generator<LocalDayPiece> {
  for (const interval of mergeIntervals(within)) {
    for (const segment of offsetSegments(
      zone,
      interval.start.getTime(),
      interval.end.getTime(),
    )) {
      const firstWallDay = Math.floor(
        (segment.from + segment.offsetMs) / MS_PER_DAY,
      );
      const lastWallDay = Math.floor(
        (segment.to - 1 + segment.offsetMs) / MS_PER_DAY,
      );
      for (let wallDay = firstWallDay; wallDay <= lastWallDay; wallDay++) {
        const wallMidnight = wallDay * MS_PER_DAY;
        yield { day: localDay(wallMidnight), wallMidnight, segment };
      }
    }
  }
}

/** Every local day (in `zoneName`) that overlaps one of the intervals, in order, each once. */
export function localDaysTouching(
  intervals: readonly UtcInterval[],
  zoneName: string,
): LocalDay[] {
  const days = new Map<string, LocalDay>();
  for (const { day } of localDayPieces(requireZone(zoneName), intervals))
    days.set(day.isoDate, day);
  return [...days.values()].sort((a, b) => a.isoDate.localeCompare(b.isoDate));
}

/**
 * The parts of `within` whose local wall-clock time in `zoneName` lies inside that day's ranges.
 * Worked out per stretch of constant UTC offset, so it is exact across DST: a range crossing a
 * skipped hour is shorter, a range covering a repeated hour includes both occurrences, and a day
 * whose midnight is skipped starts at its first real instant. Only days that `within` touches are
 * visited, so the cost follows the windows, not the calendar.
 */
export function localHoursWithin(
  zoneName: string,
  rangesForDay: RangesForDay,
  within: readonly UtcInterval[],
): UtcInterval[] {
  const allowed: UtcInterval[] = [];
  for (const { day, wallMidnight, segment } of localDayPieces(
    requireZone(zoneName),
    within,
  )) {
    for (const range of rangesForDay(day)) {
      // wall = instant + offset, so wall ∈ [midnight + start, midnight + end) solves for the instant.
      const start = Math.max(
        segment.from,
        wallMidnight + range.startMinute * MS_PER_MINUTE - segment.offsetMs,
      );
      const end = Math.min(
        segment.to,
        wallMidnight + range.endMinute * MS_PER_MINUTE - segment.offsetMs,
      );
      if (end > start)
        allowed.push({ start: new Date(start), end: new Date(end) });
    }
  }
  return mergeIntervals(allowed);
}
