import type { NormalisedPhoneNumber, PhoneNumberValidation, UtcInterval } from '@switchboard/contact-time';
import { closed, phoneNumberField, quote, validate, type ValidationResult } from '@switchboard/validation';
import { z } from 'zod';

export const SUPPORTED_API_VERSIONS = ['1.0'] as const;
export type ApiVersion = (typeof SUPPORTED_API_VERSIONS)[number];

export const CREATE_DELIVERY_LIMITS = {
  phoneNumberChars: 32,
  windows: 50,
  /** A window may end at most this far after `now`; bounds scheduling work and storage. */
  windowHorizonDays: 366,
  /** The source's default when Windows is absent: one window from now to now + 24 h. */
  defaultWindowHours: 24,
  inputAttributes: 50,
  inputAttributeKeyChars: 100,
  inputAttributeValueChars: 4000,
} as const;

/** A validated CCaaS_CreateProactiveVoiceDelivery request, in our own (camelCase) terms. */
export interface CreateDeliveryRequest {
  readonly apiVersion: ApiVersion;
  /** Lower-case GUID; the caller still has to check it names a configuration of the tenant. */
  readonly proactiveEngagementConfigId: string;
  readonly destinationPhoneNumber: NormalisedPhoneNumber;
  /** Lower-case GUID of the CRM contact. */
  readonly contactId: string;
  /** In request order (possibly overlapping); at least one, none wholly in the past. */
  readonly windows: readonly UtcInterval[];
  /** True when Windows was absent and the default [now, now + 24 h] was used. */
  readonly windowsDefaulted: boolean;
  readonly inputAttributes: Readonly<Record<string, string>>;
}

export type CreateDeliveryParseResult = ValidationResult<CreateDeliveryRequest>;

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;

/** Exactly yyyy-MM-ddTHH:mm:ss.fffZ and a real instant: Date would roll 2024-02-30 over to March. */
function isExactUtcTimestamp(text: string): boolean {
  if (!TIMESTAMP.test(text)) return false;
  const instant = new Date(text);
  return !Number.isNaN(instant.getTime()) && instant.toISOString() === text;
}

const timestamp = z
  .string()
  .refine(isExactUtcTimestamp, {
    error: (issue) =>
      TIMESTAMP.test(String(issue.input))
        ? `is not a real date and time, got ${quote(issue.input)}`
        : `must be a UTC timestamp in the format yyyy-MM-ddTHH:mm:ss.fffZ (e.g. 2024-09-10T13:00:00.000Z), got ${quote(issue.input)}`,
  })
  .transform((text) => new Date(text));

/**
 * The instant the current parse judges windows against. Schemas are built once (building them
 * cost more than parsing); safeParse is synchronous, so the value set just before it is the one
 * every check of that parse sees.
 */
let parseNow = new Date();

function windowSchema() {
  return closed({ Start: timestamp, End: timestamp }).superRefine(
    ({ Start, End }, ctx) => {
      const now = parseNow;
      const horizon = new Date(now.getTime() + CREATE_DELIVERY_LIMITS.windowHorizonDays * MS_PER_DAY);
      // Zod runs this even when Start or End failed (and stayed a string): compare real instants only.
      if (!(Start instanceof Date && End instanceof Date)) return;
      const at = (message: string) =>
        ctx.addIssue({ code: 'custom', path: ['End'], message });
      if (End <= Start)
        at(
          `(${End.toISOString()}) must be later than Start (${Start.toISOString()})`,
        );
      else if (End <= now)
        at(
          `(${End.toISOString()}) is in the past: the whole window has ended (now is ${now.toISOString()})`,
        );
      else if (End > horizon)
        at(
          `(${End.toISOString()}) must be at most ${CREATE_DELIVERY_LIMITS.windowHorizonDays} days from now (${horizon.toISOString()})`,
        );
    },
  );
}

const { inputAttributes: maxAttributes, inputAttributeKeyChars: maxKeyChars } =
  CREATE_DELIVERY_LIMITS;

/** Key rules are checked here rather than by a key schema so the message can quote a shortened key. */
const attributeRecord = z
  .record(
    z.string(),
    z.string().max(CREATE_DELIVERY_LIMITS.inputAttributeValueChars),
  )
  .superRefine((attributes, ctx) => {
    const keys = Object.keys(attributes);
    if (keys.length > maxAttributes)
      ctx.addIssue({
        code: 'custom',
        message: `must have at most ${maxAttributes} attributes, got ${keys.length}`,
      });
    for (const key of keys) {
      if (key.trim() === '')
        ctx.addIssue({
          code: 'custom',
          message: 'must not have an empty or blank key',
        });
      else if (key.length > maxKeyChars)
        ctx.addIssue({
          code: 'custom',
          message: `key ${quote(key)} must be at most ${maxKeyChars} characters long`,
        });
    }
  });

// JSON.parse makes "__proto__" an own key; zod's record skips it silently, so look before it does.
const inputAttributes = z
  .unknown()
  .superRefine((value, ctx) => {
    if (
      typeof value === 'object' &&
      value !== null &&
      Object.hasOwn(value, '__proto__')
    ) {
      ctx.addIssue({
        code: 'custom',
        message: 'must not use the reserved key "__proto__"',
      });
    }
  })
  .pipe(attributeRecord);

function requestSchema(phoneValidation: PhoneNumberValidation) {
  return closed({
    ApiVersion: z
      .string()
      .refine(
        (version) =>
          (SUPPORTED_API_VERSIONS as readonly string[]).includes(version),
        {
          error: (issue) =>
            `${quote(issue.input)} is not supported; supported versions: ${SUPPORTED_API_VERSIONS.join(', ')}`,
        },
      ),
    ProactiveEngagementConfigId: z.guid(),
    DestinationPhoneNumber: phoneNumberField(
      CREATE_DELIVERY_LIMITS.phoneNumberChars,
      phoneValidation,
    ),
    ContactId: z.guid(),
    // null is taken as absent: flow tools often send every optional parameter, empty as null.
    Windows: z
      .array(windowSchema())
      .min(1, {
        error:
          'must contain at least 1 window; leave Windows out for the default of the next 24 hours',
      })
      .max(CREATE_DELIVERY_LIMITS.windows, {
        error: (issue) =>
          `must contain at most ${CREATE_DELIVERY_LIMITS.windows} windows, got ${(issue.input as unknown[]).length}`,
      })
      .nullish(),
    InputAttributes: inputAttributes.nullish(),
  });
}

type RawRequest = z.output<ReturnType<typeof requestSchema>>;

const requestSchemas = { strict: requestSchema('strict'), lenient: requestSchema('lenient') };

/**
 * The request body as the API documents it: the schema a tenant with the default ("strict")
 * number validation is parsed with. The lenient one differs only in which numbers it accepts.
 */
export const createDeliveryRequestSchema = requestSchemas.strict;

/** A request for a callback tomorrow 13:00–16:00 UTC, as the API documents it (relative to start-up). */
export function createDeliveryExample(now: Date): z.input<typeof createDeliveryRequestSchema> {
  const tomorrow = new Date(now.getTime() + MS_PER_DAY).toISOString().slice(0, 10);
  return {
    ApiVersion: '1.0',
    ProactiveEngagementConfigId: 'cbbac510-3e66-ef11-a671-6045bd03d9d8',
    DestinationPhoneNumber: '+12125550123',
    ContactId: '761e062f-c734-ef11-8e4f-00224808a166',
    Windows: [{ Start: `${tomorrow}T13:00:00.000Z`, End: `${tomorrow}T16:00:00.000Z` }],
    InputAttributes: { orderNumber: 'ORD123456789', type: 'callback' },
  };
}

function toRequest(raw: RawRequest, now: Date): CreateDeliveryRequest {
  const defaultWindow = {
    start: now,
    end: new Date(
      now.getTime() + CREATE_DELIVERY_LIMITS.defaultWindowHours * MS_PER_HOUR,
    ),
  };
  return {
    apiVersion: raw.ApiVersion as ApiVersion,
    proactiveEngagementConfigId: raw.ProactiveEngagementConfigId.toLowerCase(),
    destinationPhoneNumber: raw.DestinationPhoneNumber,
    contactId: raw.ContactId.toLowerCase(),
    windows: raw.Windows
      ? raw.Windows.map((window) => ({ start: window.Start, end: window.End }))
      : [defaultWindow],
    windowsDefaulted: !raw.Windows,
    inputAttributes: { ...raw.InputAttributes },
  };
}

/**
 * Validates a CCaaS_CreateProactiveVoiceDelivery body (PD1.2) as received from JSON.parse.
 * `now` decides which windows are in the past and the default window. Every problem found is
 * returned, each with its field path (`Windows[1].End`) and a sentence naming that field.
 * Not checked here (they need the tenant's data): that the configuration exists, its contact
 * hours (computePermittedIntervals), the do-not-call list.
 */
export function parseCreateDeliveryRequest(
  body: unknown,
  now: Date,
  phoneValidation: PhoneNumberValidation = 'strict',
): CreateDeliveryParseResult {
  parseNow = now;
  const result = validate(requestSchemas[phoneValidation], body, 'The request body');
  return result.ok ? { ok: true, value: toRequest(result.value, now) } : result;
}
