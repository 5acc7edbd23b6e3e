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
 * Splits [from, to) where the zone's UTC offset changes. The offset is probed once a day and each
 * change located to the millisecond; real tz data never has two transitions within one day.
 */
function offsetSegments(
  zone: IANAZone,
  from: number,
  to: number,
): OffsetSegment[] {
  const segments: OffsetSegment[] = [];
  let segmentStart = from;
  let offsetMs = offsetMsAt(zone, from);
  let probed = from;
  while (probed < to - 1) {
    const probe = Math.min(probed + MS_PER_DAY, to - 1);
    if (offsetMsAt(zone, probe) !== offsetMs) {
      const transition = findTransition(zone, probed, probe);
      segments.push({ from: segmentStart, to: transition, offsetMs });
      segmentStart = transition;
      offsetMs = offsetMsAt(zone, transition);
    }
    probed = probe;
  }
  segments.push({ from: segmentStart, to, offsetMs });
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
