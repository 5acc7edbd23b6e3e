/** A half-open span of time [start, end) between two UTC instants. */
export interface UtcInterval {
  readonly start: Date;
  readonly end: Date;
}

type MsSpan = readonly [start: number, end: number];

const toSpan = (interval: UtcInterval): MsSpan => [
  interval.start.getTime(),
  interval.end.getTime(),
];
const toInterval = ([start, end]: MsSpan): UtcInterval => ({
  start: new Date(start),
  end: new Date(end),
});

function mergeSpans(spans: readonly MsSpan[]): MsSpan[] {
  const sorted = spans
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    // Touching spans merge too: [a, b) followed by [b, c) is one continuous span.
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** Sorts, drops empty intervals and merges overlapping or touching ones. */
export function mergeIntervals(
  intervals: readonly UtcInterval[],
): UtcInterval[] {
  return mergeSpans(intervals.map(toSpan)).map(toInterval);
}

/** The instants contained in both lists (inputs need not be sorted or merged). */
export function intersectIntervals(
  a: readonly UtcInterval[],
  b: readonly UtcInterval[],
): UtcInterval[] {
  const left = mergeSpans(a.map(toSpan));
  const right = mergeSpans(b.map(toSpan));
  const result: MsSpan[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const start = Math.max(left[i][0], right[j][0]);
    const end = Math.min(left[i][1], right[j][1]);
    if (end > start) result.push([start, end]);
    // Advance whichever span finishes first; the other may still overlap the next one.
    if (left[i][1] < right[j][1]) i++;
    else j++;
  }
  return result.map(toInterval);
}

/** The instants of `from` that are not in `remove`. */
export function subtractIntervals(
  from: readonly UtcInterval[],
  remove: readonly UtcInterval[],
): UtcInterval[] {
  const holes = mergeSpans(remove.map(toSpan));
  const result: MsSpan[] = [];
  for (const [start, end] of mergeSpans(from.map(toSpan))) {
    let cursor = start;
    for (const [holeStart, holeEnd] of holes) {
      if (holeEnd <= cursor || holeStart >= end) continue;
      if (holeStart > cursor) result.push([cursor, holeStart]);
      cursor = Math.max(cursor, holeEnd);
    }
    if (cursor < end) result.push([cursor, end]);
  }
  return result.map(toInterval);
}

/** Cuts away everything before `notBefore`. */
export function clipIntervals(
  intervals: readonly UtcInterval[],
  notBefore: Date,
): UtcInterval[] {
  return intersectIntervals(intervals, [
    { start: notBefore, end: new Date(8.64e15) },
  ]);
}

/**
 * The earliest instant ≥ `now` that lies inside one of the intervals, or null when every interval
 * has closed (the delivery has expired). Intervals are half-open, so an interval ending exactly at
 * `now` no longer counts.
 */
export function nextPermittedInstant(
  intervals: readonly UtcInterval[],
  now: Date,
): Date | null {
  const at = now.getTime();
  let earliest: number | null = null;
  for (const [start, end] of intervals.map(toSpan)) {
    if (end <= at || end <= start) continue;
    const candidate = Math.max(start, at);
    if (earliest === null || candidate < earliest) earliest = candidate;
  }
  return earliest === null ? null : new Date(earliest);
}

/** Whether `instant` lies inside one of the intervals. */
export function isWithinIntervals(
  intervals: readonly UtcInterval[],
  instant: Date,
): boolean {
  return (
    nextPermittedInstant(intervals, instant)?.getTime() === instant.getTime()
  );
}
