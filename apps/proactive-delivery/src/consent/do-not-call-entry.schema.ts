import { parsePhoneNumberWith, type PhoneNumberValidation } from '@switchboard/contact-time';
import { closed, phoneNumberField, queryInteger, quote, validate, type FieldError, type ValidationResult } from '@switchboard/validation';
import { z } from 'zod';

export const DO_NOT_CALL_LIMITS = {
  phoneNumberChars: 32,
  reasonChars: 500,
  /** Rows of one bulk import (CSV or JSON). */
  importRows: 50_000,
  /** Row problems listed in an import's 400; the message still counts all of them. */
  reportedImportErrors: 100,
  listPageSize: { default: 100, max: 1_000 },
} as const;

/** One do-not-call entry as an administrator gives it, validated and normalised. */
export interface DoNotCallEntryInput {
  /** E.164 */
  readonly phoneNumber: string;
  readonly reason: string | null;
  /** null: listed until removed. */
  readonly expiresAt: Date | null;
}

const expiryField = (now: Date) =>
  z
    .iso.datetime({
      offset: true,
      error: (issue) =>
        `must be an ISO 8601 date and time with a time zone (e.g. 2027-01-31T23:59:59Z), got ${quote(issue.input)}`,
    })
    .transform((text) => new Date(text))
    .refine((expiresAt) => expiresAt > now, {
      error: (issue) =>
        `must be in the future (it is ${(issue.input as Date).toISOString()}, now is ${now.toISOString()})`,
    });

const reasonField = z
  .string()
  .trim()
  .max(DO_NOT_CALL_LIMITS.reasonChars)
  .transform((reason) => (reason === '' ? null : reason));

/**
 * The fields of one entry; `now` decides which expiry dates are in the past. Numbers are checked
 * like the tenant's create requests (`validation`), so every number it may dial can be listed.
 */
export function entrySchema(now: Date, validation: PhoneNumberValidation) {
  return closed({
    phoneNumber: phoneNumberField(DO_NOT_CALL_LIMITS.phoneNumberChars, validation).transform((phone) => phone.e164),
    reason: reasonField.nullable().optional().transform((reason) => reason ?? null),
    expiresAt: expiryField(now).nullable().optional().transform((expiresAt) => expiresAt ?? null),
  });
}

/** An entry as the API documents it: listed for a year from `now`. */
export function doNotCallEntryExample(now: Date) {
  return { phoneNumber: '+14155552671', reason: 'Asked not to be called', expiresAt: inAYear(now) };
}

const inAYear = (now: Date) => new Date(now.getTime() + 365 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The body of `POST /proactive/do-not-call`. */
export function parseDoNotCallEntry(body: unknown, now: Date, validation: PhoneNumberValidation): ValidationResult<DoNotCallEntryInput> {
  return validate(entrySchema(now, validation), body, 'The request body');
}

/** The JSON form of a bulk import: `{"entries": [{phoneNumber, reason?, expiresAt?}, …]}`. */
export function importJsonSchema(now: Date, validation: PhoneNumberValidation) {
  return closed({ entries: z.array(entrySchema(now, validation)).min(1).max(DO_NOT_CALL_LIMITS.importRows) });
}

export function parseDoNotCallImportJson(body: unknown, now: Date, validation: PhoneNumberValidation): ValidationResult<DoNotCallEntryInput[]> {
  const result = validate(importJsonSchema(now, validation), body, 'The request body');
  if (!result.ok) return result;
  const duplicates = findDuplicates(result.value.entries.map((entry, index) => ({ entry, label: `entries[${index}]` })));
  return duplicates.length === 0 ? { ok: true, value: result.value.entries } : { ok: false, errors: duplicates };
}

export interface LabelledEntry {
  readonly entry: DoNotCallEntryInput;
  /** Where the entry came from: "row 7", "entries[6]". */
  readonly label: string;
}

/**
 * One import may name a number only once: two rows for the same number (perhaps written
 * differently) with different reasons or expiry dates leave no way to tell which one is meant.
 */
export function findDuplicates(entries: readonly LabelledEntry[]): FieldError[] {
  const firstSeen = new Map<string, string>();
  const errors: FieldError[] = [];
  for (const { entry, label } of entries) {
    const earlier = firstSeen.get(entry.phoneNumber);
    if (earlier === undefined) {
      firstSeen.set(entry.phoneNumber, label);
    } else {
      const field = `${label}.phoneNumber`;
      errors.push({ field, message: `${field} names ${entry.phoneNumber} again (already in ${earlier}); list each number once` });
    }
  }
  return errors;
}

/**
 * A number in the URL path (`/proactive/do-not-call/%2B14155552671`) in any form the parser takes.
 * Always lenient: looking up or removing an entry must work even after the tenant turned strict.
 */
export function parsePhoneNumberParam(raw: string): ValidationResult<string> {
  const result = parsePhoneNumberWith(raw, 'lenient');
  return result.ok
    ? { ok: true, value: result.value.e164 }
    : { ok: false, errors: [{ field: 'phoneNumber', message: `phoneNumber ${result.reason} (in the path, write "+" as %2B)` }] };
}

export interface DoNotCallListQuery {
  readonly limit: number;
  /** The last phone number of the previous page. */
  readonly after: string | null;
  readonly includeExpired: boolean;
}

const booleanParam = z.enum(['true', 'false']).transform((value) => value === 'true');

const cursorParam = z.string().transform((cursor, ctx) => {
  const phoneNumber = decodeCursor(cursor);
  if (phoneNumber !== null) return phoneNumber;
  ctx.addIssue({ code: 'custom', message: `is not a cursor this API returned, got ${quote(cursor)}` });
  return z.NEVER;
});

/** `?limit=&cursor=&includeExpired=` of the list; unknown parameters are refused. */
export const doNotCallListQuerySchema = closed({
  limit: queryInteger({ min: 1, max: DO_NOT_CALL_LIMITS.listPageSize.max }).default(DO_NOT_CALL_LIMITS.listPageSize.default),
  cursor: cursorParam.optional().describe('nextCursor of the previous page'),
  includeExpired: booleanParam.default(false),
}).transform(({ limit, cursor, includeExpired }): DoNotCallListQuery => ({ limit, after: cursor ?? null, includeExpired }));

/** `?includeExpired=` of a single entry's GET. */
export const includeExpiredQuerySchema = closed({ includeExpired: booleanParam.default(false) }).transform(({ includeExpired }) => includeExpired);

export const QUERY_LABEL = 'The query';

export function parseDoNotCallListQuery(query: unknown): ValidationResult<DoNotCallListQuery> {
  return validate(doNotCallListQuerySchema, query, QUERY_LABEL);
}

export function parseIncludeExpiredQuery(query: unknown): ValidationResult<boolean> {
  return validate(includeExpiredQuerySchema, query, QUERY_LABEL);
}

// Opaque so clients do not build cursors, and base64url so a "+" survives a query string unencoded.
export function encodeCursor(phoneNumber: string): string {
  return Buffer.from(phoneNumber, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string | null {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) return null;
  const phoneNumber = Buffer.from(cursor, 'base64url').toString('utf8');
  return /^\+\d{2,15}$/.test(phoneNumber) ? phoneNumber : null;
}
