import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import {
  WEEKDAYS,
  clockTimeToMinutes,
  isClockTime,
  type ClockRange,
  type Weekday,
  type WeeklyContactHours,
} from '../contact-window/clock-time';
import { describeClockRange } from '../contact-window/contact-hours-description';
import { DEFAULT_CALLEE_LOCAL_HOURS } from '../contact-window/permitted-intervals';
import { parsePhoneNumberWith, type PhoneNumberValidation } from '../phone/phone-number';

// ---------------------------------------------------------------------------------------------
// Validation helpers shared with deliveries/create-delivery.schema.ts. Every issue message is a
// predicate ("is required", "must be a string, not a number"); toFieldErrors puts the field's
// path in front, so each error reads as a sentence and carries the path for OData's `target`.
// ---------------------------------------------------------------------------------------------

/** One problem with a request body. `field` is a path like `Windows[1].End`; '' is the body itself. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export type ValidationResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: FieldError[] };

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a JSON object',
  array: 'an array',
  record: 'a JSON object',
};

function describeValueType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'boolean') return `a boolean (${value})`;
  if (typeof value === 'number' && !Number.isInteger(value))
    return 'a fractional number';
  return TYPE_NAMES[typeof value] ?? typeof value;
}

const plural = (count: number, noun: string) =>
  `${count} ${noun}${count === 1 ? '' : 's'}`;

function describeSize(
  issue: { origin: string; minimum?: unknown; maximum?: unknown },
  bound: 'at least' | 'at most',
): string {
  const limit = Number(bound === 'at least' ? issue.minimum : issue.maximum);
  if (issue.origin === 'string')
    return limit === 1 && bound === 'at least'
      ? 'must not be empty'
      : `must be ${bound} ${plural(limit, 'character')} long`;
  if (issue.origin === 'array')
    return `must contain ${bound} ${plural(limit, 'item')}`;
  return `must be ${bound} ${limit}`;
}

/** Zod's per-parse error function: a predicate for every issue a schema did not word itself. */
export function describeIssue(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}, not ${describeValueType(issue.input)}`;
    case 'too_small':
      return describeSize(issue, 'at least');
    case 'too_big':
      return describeSize(issue, 'at most');
    case 'invalid_format':
      return issue.format === 'guid'
        ? 'must be a GUID like 00000000-0000-0000-0000-000000000000'
        : `must be a valid ${issue.format}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_key':
      // A record's key schema failed; its own (already worded) issues say how.
      return issue.issues.map((inner) => inner.message).join('; ');
    default:
      return 'is invalid';
  }
}

/** Shortens user input quoted back in messages. */
export function quote(value: unknown, max = 40): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

/**
 * An object schema that refuses keys it does not declare, one error per key (with a hint when
 * only the letter case is wrong). Unlike z.strictObject it also reports unknown keys when other
 * fields are invalid, so a caller sees every problem at once. It is built on a loose object (the
 * check must see the unknown keys) but typed as a plain one: a parse that succeeds has none.
 */
export function closed<S extends z.ZodRawShape>(
  shape: S,
): z.ZodObject<S, z.core.$strip> {
  const known = Object.keys(shape);
  const schema = z.looseObject(shape).superRefine(
    (value, ctx) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return;
      for (const key of Object.keys(value).filter(
        (key) => !known.includes(key),
      )) {
        const sameLetters = known.find(
          (name) => name.toLowerCase() === key.toLowerCase(),
        );
        const hint = sameLetters
          ? `did you mean "${sameLetters}"? Field names are case-sensitive`
          : `expected ${known.join(', ')}`;
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `is not a known field (${hint})`,
        });
      }
    },
    // Run even when fields failed: only the keys matter here.
    { when: () => true },
  );
  return schema as unknown as z.ZodObject<S, z.core.$strip>;
}

/** The same fields, each optional (for PATCH bodies). */
export function optionalFields<S extends z.ZodRawShape>(
  shape: S,
): { [K in keyof S]: z.ZodOptional<S[K]> } {
  return Object.fromEntries(
    Object.entries(shape).map(([key, field]) => [key, z.optional(field)]),
  ) as { [K in keyof S]: z.ZodOptional<S[K]> };
}

/** Turns zod's issues into FieldErrors: "<path> <predicate>". */
export function toFieldErrors(
  issues: readonly z.core.$ZodIssue[],
  bodyLabel: string,
): FieldError[] {
  return issues.map((issue) => {
    const field = z.core.toDotPath(issue.path);
    return { field, message: `${field || bodyLabel} ${issue.message}` };
  });
}

/** A number that must be valid in its country's plan (unless `lenient`); normalised to E.164. */
export function phoneNumberField(maxLength: number, validation: PhoneNumberValidation = 'strict') {
  return z
    .string()
    .max(maxLength)
    .transform((raw, ctx) => {
      const result = parsePhoneNumberWith(raw, validation);
      if (result.ok) return result.value;
      ctx.addIssue({ code: 'custom', message: result.reason });
      return z.NEVER;
    });
}

// ---------------------------------------------------------------------------------------------
// Proactive engagement configuration (PD2)
// ---------------------------------------------------------------------------------------------

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

// Not z.int(): its check aborts the whole parse, which would hide other errors (unknown keys).
const integer = (bounds: { min: number; max: number }) =>
  z
    .number()
    .min(bounds.min)
    .max(bounds.max)
    .refine(Number.isInteger, {
      error: (issue) => `must be a whole number, got ${String(issue.input)}`,
    });

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
  maxAttempts: integer(CONFIGURATION_LIMITS.maxAttempts),
  retryIntervalsSeconds: closed(
    Object.fromEntries(
      RETRYABLE_OUTCOMES.map((outcome) => [
        outcome,
        integer(CONFIGURATION_LIMITS.retryIntervalSeconds),
      ]),
    ) as Record<RetryableOutcome, ReturnType<typeof integer>>,
  ),
  timeZone,
  contactHours,
  blackoutDates,
  enabled: z.boolean(),
  frequencyCap: closed({
    maxAttempts: integer(CONFIGURATION_LIMITS.frequencyCapAttempts),
    periodHours: integer(CONFIGURATION_LIMITS.frequencyCapPeriodHours),
  }).nullable(),
  calleeLocalHours,
};

const createSchema = closed({
  ...configurationFields,
  blackoutDates: configurationFields.blackoutDates.default([]),
  enabled: configurationFields.enabled.default(true),
  frequencyCap: configurationFields.frequencyCap.default(null),
  calleeLocalHours: configurationFields.calleeLocalHours.default({
    ...DEFAULT_CALLEE_LOCAL_HOURS,
  }),
});

const patchSchema = closed(optionalFields(configurationFields)).superRefine(
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
  const result = createSchema.safeParse(body, { error: describeIssue });
  return result.success
    ? { ok: true, value: result.data }
    : {
        ok: false,
        errors: toFieldErrors(result.error.issues, CONFIGURATION_LABEL),
      };
}

function parsePatch(body: unknown): ValidationResult<ConfigurationPatch> {
  const result = patchSchema.safeParse(body, { error: describeIssue });
  return result.success
    ? { ok: true, value: result.data }
    : {
        ok: false,
        errors: toFieldErrors(result.error.issues, CONFIGURATION_LABEL),
      };
}

const CONFIGURATION_LABEL = 'The configuration';
