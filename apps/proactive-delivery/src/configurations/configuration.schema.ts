import {
  DEFAULT_CALLEE_LOCAL_HOURS,
  WEEKDAYS,
  clockTimeToMinutes,
  describeClockRange,
  isClockTime,
  type ClockRange,
  type Weekday,
  type WeeklyContactHours,
} from '@switchboard/contact-time';
import { closed, optionalFields, phoneNumberField, quote, validate, wholeNumber, type ValidationResult } from '@switchboard/validation';
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';

// Proactive engagement configuration (PD2).

export const DIALING_MODES = ['customer_first', 'agent_first'] as const;
export type DialingMode = (typeof DIALING_MODES)[number];

export const RETRYABLE_OUTCOMES = [
  'busy',
  'no_answer',
  'voicemail',
  'failed',
] as const;
export type RetryableOutcome = (typeof RETRYABLE_OUTCOMES)[number];

export const CONFIGURATION_LIMITS = {
  maxAttempts: { min: 1, max: 20 },
  retryIntervalSeconds: { min: 30, max: 86_400 },
  rangesPerDay: 12,
  blackoutDates: 1000,
  frequencyCapAttempts: { min: 1, max: 100 },
  frequencyCapPeriodHours: { min: 1, max: 720 },
} as const;

export interface OutboundProfile {
  /** E.164 */
  readonly callerIdNumber: string;
  /** Which voice-runtime provider dials ("simulator", "http", …). */
  readonly providerName: string;
}

/** At most `maxAttempts` dial attempts to one number per tenant in any `periodHours` (all deliveries). */
export interface FrequencyCap {
  readonly maxAttempts: number;
  readonly periodHours: number;
}

export interface ProactiveEngagementConfiguration {
  readonly name: string;
  readonly dialingMode: DialingMode;
  /** The bot or queue that handles an answered call. */
  readonly workflowId: string;
  readonly outboundProfile: OutboundProfile;
  readonly maxAttempts: number;
  readonly retryIntervalsSeconds: Readonly<Record<RetryableOutcome, number>>;
  /** Canonical IANA name; contactHours and blackoutDates are read in it. */
  readonly timeZone: string;
  readonly contactHours: WeeklyContactHours;
  /** Sorted "yyyy-MM-dd" dates in timeZone without calls. */
  readonly blackoutDates: readonly string[];
  readonly enabled: boolean;
  readonly frequencyCap: FrequencyCap | null;
  /** The callee-local rule; may only narrow DEFAULT_CALLEE_LOCAL_HOURS (08:00–21:00). */
  readonly calleeLocalHours: ClockRange;
}

/** A PATCH: any subset of the fields, each replaced as a whole (nested objects are not merged). */
export type ConfigurationPatch = Partial<ProactiveEngagementConfiguration>;

const text = (max: number) => z.string().trim().min(1).max(max);

const PROVIDER_NAME = /^[a-z][a-z0-9_-]{0,63}$/;

const clockTime = (endOfRange: boolean) =>
  z.string().refine((value) => isClockTime(value, { endOfRange }), {
    error: (issue) =>
      `must be a time "HH:mm"${endOfRange ? ' (or "24:00")' : ''}, got ${quote(issue.input)}`,
  });

// Zod runs object-level refinements even after a field's own refinement failed, so they check first.
const isWellFormed = (range: ClockRange) =>
  isClockTime(String(range.start), { endOfRange: false }) &&
  isClockTime(String(range.end), { endOfRange: true });

const clockRange = closed({
  start: clockTime(false),
  end: clockTime(true),
}).superRefine((range, ctx) => {
  if (
    isWellFormed(range) &&
    clockTimeToMinutes(range.end) <= clockTimeToMinutes(range.start)
  ) {
    ctx.addIssue({
      code: 'custom',
      path: ['end'],
      message: `(${range.end}) must be later than start (${range.start})`,
    });
  }
});

const dayRanges = z
  .array(clockRange)
  .max(CONFIGURATION_LIMITS.rangesPerDay)
  .superRefine((ranges, ctx) => {
    // Overlap is meaningless while a range is malformed or backwards; that was reported already.
    if (
      !ranges.every((range) => isWellFormed(range) && range.end > range.start)
    )
      return;
    const byStart = ranges
      .map((range, index) => ({ range, index }))
      .sort((a, b) => a.range.start.localeCompare(b.range.start));
    // Compare with the latest-ending range so far, not just the previous one: 09–17 contains 12–13.
    let reach = byStart[0]?.range;
    for (const { range, index } of byStart.slice(1)) {
      if (reach && range.start < reach.end) {
        ctx.addIssue({
          code: 'custom',
          path: [index],
          message: `overlaps ${describeClockRange(reach)} on the same day`,
        });
      }
      if (!reach || range.end > reach.end) reach = range;
    }
  });

const contactHours = closed(
  Object.fromEntries(WEEKDAYS.map((day) => [day, dayRanges])) as Record<
    Weekday,
    typeof dayRanges
  >,
);

const timeZone = z.string().transform((zone, ctx) => {
  if (!IANAZone.isValidZone(zone)) {
    ctx.addIssue({
      code: 'custom',
      message: `must be an IANA time zone name such as "Europe/Berlin", got ${quote(zone)}`,
    });
    return z.NEVER;
  }
  // One spelling per zone ("us/eastern" → "America/New_York") keeps stored values comparable.
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions()
    .timeZone;
});

const isoDate = z
  .string()
  .refine(
    (value) =>
      /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid,
    {
      error: (issue) =>
        `must be a real date "yyyy-MM-dd", got ${quote(issue.input)}`,
    },
  );

const blackoutDates = z
  .array(isoDate)
  .max(CONFIGURATION_LIMITS.blackoutDates)
  .superRefine((dates, ctx) => {
    dates.forEach((date, index) => {
      if (dates.indexOf(date) !== index)
        ctx.addIssue({
          code: 'custom',
          path: [index],
          message: `repeats ${date}`,
        });
    });
  })
  .transform((dates) => [...dates].sort());

const calleeLocalHours = clockRange.superRefine((range, ctx) => {
  if (!isWellFormed(range)) return;
  const floor = clockTimeToMinutes(DEFAULT_CALLEE_LOCAL_HOURS.start);
  const ceiling = clockTimeToMinutes(DEFAULT_CALLEE_LOCAL_HOURS.end);
  if (
    clockTimeToMinutes(range.start) < floor ||
    clockTimeToMinutes(range.end) > ceiling
  ) {
    ctx.addIssue({
      code: 'custom',
      message: `(${describeClockRange(range)}) may only narrow the legal ${describeClockRange(DEFAULT_CALLEE_LOCAL_HOURS)} callee-local hours`,
    });
  }
});

const configurationFields = {
  name: text(200),
  dialingMode: z.enum(DIALING_MODES),
  workflowId: text(200),
  outboundProfile: closed({
    callerIdNumber: phoneNumberField(32).transform((phone) => phone.e164),
    providerName: z.string().refine((name) => PROVIDER_NAME.test(name), {
      error: (issue) =>
        `must be a lowercase provider name such as "simulator" or "http" (a–z, 0–9, "-", "_"; up to 64 characters), got ${quote(issue.input)}`,
    }),
  }),
  maxAttempts: wholeNumber(CONFIGURATION_LIMITS.maxAttempts),
  retryIntervalsSeconds: closed(
    Object.fromEntries(
      RETRYABLE_OUTCOMES.map((outcome) => [
        outcome,
        wholeNumber(CONFIGURATION_LIMITS.retryIntervalSeconds),
      ]),
    ) as Record<RetryableOutcome, ReturnType<typeof wholeNumber>>,
  ),
  timeZone,
  contactHours,
  blackoutDates,
  enabled: z.boolean(),
  frequencyCap: closed({
    maxAttempts: wholeNumber(CONFIGURATION_LIMITS.frequencyCapAttempts),
    periodHours: wholeNumber(CONFIGURATION_LIMITS.frequencyCapPeriodHours),
  }).nullable(),
  calleeLocalHours,
};

/** How messages name a configuration body as a whole ("The configuration must be a JSON object"). */
export const CONFIGURATION_LABEL = 'The configuration';

/** The body of `POST /proactive/configurations`: required fields present, defaults applied. */
export const configurationCreateSchema = closed({
  ...configurationFields,
  blackoutDates: configurationFields.blackoutDates.default([]),
  enabled: configurationFields.enabled.default(true),
  frequencyCap: configurationFields.frequencyCap.default(null),
  calleeLocalHours: configurationFields.calleeLocalHours.default({
    ...DEFAULT_CALLEE_LOCAL_HOURS,
  }),
});

/** The body of `PATCH /proactive/configurations/{id}`: any non-empty subset of the fields, no defaults. */
export const configurationPatchSchema = closed(optionalFields(configurationFields)).superRefine(
  (patch, ctx) => {
    if (Object.keys(patch).length === 0)
      ctx.addIssue({
        code: 'custom',
        message: `must change at least one field (${Object.keys(configurationFields).join(', ')})`,
      });
  },
);

/**
 * Validates a configuration for create (`partial: false`: required fields present, defaults
 * applied) or for PATCH (`partial: true`: any non-empty subset, no defaults). Unknown fields are
 * refused. Field names are camelCase: this is our own admin API, not the wire-compatible one.
 */
export function parseConfigurationInput(
  body: unknown,
  options: { partial: false },
): ValidationResult<ProactiveEngagementConfiguration>;
export function parseConfigurationInput(
  body: unknown,
  options: { partial: true },
): ValidationResult<ConfigurationPatch>;
export function parseConfigurationInput(
  body: unknown,
  options: { partial: boolean },
): ValidationResult<ProactiveEngagementConfiguration | ConfigurationPatch> {
  return options.partial ? parsePatch(body) : parseCreate(body);
}

function parseCreate(
  body: unknown,
): ValidationResult<ProactiveEngagementConfiguration> {
  return validate(configurationCreateSchema, body, CONFIGURATION_LABEL);
}

function parsePatch(body: unknown): ValidationResult<ConfigurationPatch> {
  return validate(configurationPatchSchema, body, CONFIGURATION_LABEL);
}
