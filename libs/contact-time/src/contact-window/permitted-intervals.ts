import {
  WHOLE_DAY,
  toMinuteRange,
  weekdayFromIsoNumber,
  type ClockRange,
  type WeeklyContactHours,
} from './clock-time';
import {
  describeClockRange,
  describeList,
  describeWeeklyHours,
} from './contact-hours-description';
import {
  localDaysTouching,
  localHoursWithin,
  requireZone,
  type LocalDay,
} from './local-hours';
import {
  clipIntervals,
  mergeIntervals,
  type UtcInterval,
} from './utc-interval';

/** Without a configured rule, callees are called only 08:00–21:00 their local time (the TCPA rule). */
export const DEFAULT_CALLEE_LOCAL_HOURS: ClockRange = {
  start: '08:00',
  end: '21:00',
};

/** The parts of a configuration that decide when calls may be made. */
export interface ContactPolicy {
  /** IANA zone in which contactHours and blackoutDates are read. */
  readonly timeZone: string;
  readonly contactHours: WeeklyContactHours;
  /** ISO dates ("yyyy-MM-dd") in timeZone; whole days without calls. */
  readonly blackoutDates: readonly string[];
  /** Daily hours local to the callee; DEFAULT_CALLEE_LOCAL_HOURS when absent. */
  readonly calleeLocalHours?: ClockRange;
}

export interface PermittedIntervalsInput {
  /** The delivery's windows (UTC); they may overlap and come in any order. */
  readonly windows: readonly UtcInterval[];
  readonly policy: ContactPolicy;
  /**
   * Every zone the destination number may be in. When several are possible (an area code that
   * spans zones, a country-wide mobile range, a toll-free number) the callee rule must hold in
   * EVERY one of them, since we cannot tell where the callee is. Empty when unknown: the callee is
   * then assumed to be in the configuration's zone.
   */
  readonly calleeTimeZones: readonly string[];
  /** When given, time before this instant is discarded (it can no longer be used). */
  readonly now?: Date;
}

export type NoPermittedTimeReason =
  | 'windows_elapsed'
  | 'outside_contact_hours'
  | 'only_blackout_dates'
  | 'outside_callee_hours';

export type PermittedIntervalsResult =
  | { readonly ok: true; readonly intervals: UtcInterval[] }
  | {
      readonly ok: false;
      readonly reason: NoPermittedTimeReason;
      readonly message: string;
    };

const refuse = (
  reason: NoPermittedTimeReason,
  message: string,
): PermittedIntervalsResult => ({
  ok: false,
  reason,
  message,
});

/**
 * When a delivery may be dialed: its windows ∩ the configuration's contact hours (its zone, minus
 * blackout dates) ∩ the callee's local hours in each of the callee's candidate zones. The result
 * is sorted and merged; when empty, the reason names the first rule that left nothing over.
 */
export function computePermittedIntervals(
  input: PermittedIntervalsInput,
): PermittedIntervalsResult {
  const { policy } = input;
  requireZone(policy.timeZone);
  const windows = input.now
    ? clipIntervals(input.windows, input.now)
    : mergeIntervals(input.windows);
  if (!windows.length) return refuse('windows_elapsed', describeElapsed(input));

  const inContactHours = localHoursWithin(
    policy.timeZone,
    (day) => weeklyRanges(policy.contactHours, day),
    windows,
  );
  if (!inContactHours.length) {
    return refuse(
      'outside_contact_hours',
      `Windows do not intersect the configuration's contact hours (${describeWeeklyHours(policy.contactHours, policy.timeZone)})`,
    );
  }

  const blackout = new Set(policy.blackoutDates);
  const isBlackout = (day: LocalDay) => blackout.has(day.isoDate);
  const outsideBlackout = localHoursWithin(
    policy.timeZone,
    (day) => (isBlackout(day) ? [] : [WHOLE_DAY]),
    inContactHours,
  );
  if (!outsideBlackout.length) {
    const hitDates = localDaysTouching(inContactHours, policy.timeZone)
      .filter(isBlackout)
      .map((day) => day.isoDate);
    return refuse(
      'only_blackout_dates',
      `Windows meet the configuration's contact hours only on blackout dates (${describeList(hitDates)} in ${policy.timeZone})`,
    );
  }

  return applyCalleeHours(outsideBlackout, input);
}

function describeElapsed({ windows, now }: PermittedIntervalsInput): string {
  const lastEnd = mergeIntervals(windows).at(-1)?.end;
  if (!lastEnd || !now) return 'No windows were given';
  return `All windows have already ended (the last at ${lastEnd.toISOString()}; now is ${now.toISOString()})`;
}

function weeklyRanges(hours: WeeklyContactHours, day: LocalDay) {
  return hours[weekdayFromIsoNumber(day.weekday)].map(toMinuteRange);
}

function applyCalleeHours(
  intervals: UtcInterval[],
  input: PermittedIntervalsInput,
): PermittedIntervalsResult {
  const calleeHours =
    input.policy.calleeLocalHours ?? DEFAULT_CALLEE_LOCAL_HOURS;
  const zonesKnown = input.calleeTimeZones.length > 0;
  const zones = zonesKnown
    ? [...new Set(input.calleeTimeZones)]
    : [input.policy.timeZone];
  const range = toMinuteRange(calleeHours);
  let permitted = intervals;
  for (const zone of zones) {
    permitted = localHoursWithin(zone, () => [range], permitted);
    if (!permitted.length) {
      const where = zonesKnown
        ? `the destination number's time zone${zones.length > 1 ? 's, all of which must allow the call' : ''}: ${describeList(zones)}`
        : `the destination number's zone is unknown, so the configuration's zone is assumed: ${input.policy.timeZone}`;
      return refuse(
        'outside_callee_hours',
        `Windows meet the configuration's contact hours only outside ${describeClockRange(calleeHours)} local time of the callee (${where})`,
      );
    }
  }
  return { ok: true, intervals: permitted };
}
