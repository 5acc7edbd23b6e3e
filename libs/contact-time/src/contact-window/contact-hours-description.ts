import {
  WEEKDAYS,
  type ClockRange,
  type Weekday,
  type WeeklyContactHours,
} from './clock-time';

const DAY_LABELS: Record<Weekday, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

export function describeClockRange(range: ClockRange): string {
  return `${range.start}–${range.end}`;
}

const describeRanges = (ranges: readonly ClockRange[]) =>
  ranges.map(describeClockRange).join(', ');

/**
 * Human-readable weekly hours for error messages, consecutive days with the same hours grouped:
 * "Mon–Fri 09:00–17:00; Sat 10:00–14:00 Europe/Berlin".
 */
export function describeWeeklyHours(
  hours: WeeklyContactHours,
  timeZone: string,
): string {
  const groups: { first: Weekday; last: Weekday; text: string }[] = [];
  for (const day of WEEKDAYS) {
    const text = describeRanges(hours[day]);
    const previous = groups.at(-1);
    if (
      previous &&
      previous.text === text &&
      WEEKDAYS.indexOf(previous.last) === WEEKDAYS.indexOf(day) - 1
    ) {
      previous.last = day;
    } else {
      groups.push({ first: day, last: day, text });
    }
  }
  const described = groups
    .filter((group) => group.text !== '')
    .map((group) => `${dayRangeLabel(group.first, group.last)} ${group.text}`);
  return described.length
    ? `${described.join('; ')} ${timeZone}`
    : `no hours on any day, ${timeZone}`;
}

function dayRangeLabel(first: Weekday, last: Weekday): string {
  return first === last
    ? DAY_LABELS[first]
    : `${DAY_LABELS[first]}–${DAY_LABELS[last]}`;
}

/** "A, B, C" or, for long lists, "A, B, C, D, E and 37 more". */
export function describeList(items: readonly string[], shown = 5): string {
  if (items.length <= shown) return items.join(', ');
  return `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
}
