import {
  getCountries,
  getCountryCallingCode,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
  type NumberType,
  type PhoneNumber,
} from 'libphonenumber-js/max';

/** A phone number that is valid in its country's numbering plan, normalised. */
export interface NormalisedPhoneNumber {
  /** "+14155552671" — the form we store and dial. */
  readonly e164: string;
  /** "1", "49", … */
  readonly countryCallingCode: string;
  /** ISO 3166 region ("US", "DE"), or null for non-geographic numbers such as +800. */
  readonly region: CountryCode | null;
  /** FIXED_LINE, MOBILE, TOLL_FREE, … as far as the numbering plan tells; null when it cannot. */
  readonly type: NumberType | null;
}

export type PhoneNumberProblem =
  | 'empty'
  | 'not_international'
  | 'not_a_number'
  | 'unknown_country_code'
  | 'invalid_for_country_plan'
  | 'extension_not_supported';

export type PhoneNumberParseResult =
  | { readonly ok: true; readonly value: NormalisedPhoneNumber }
  /** `reason` completes a sentence that starts with the field's name: "… is not a phone number". */
  | {
      readonly ok: false;
      readonly problem: PhoneNumberProblem;
      readonly reason: string;
    };

const LENGTH_DETAIL = {
  TOO_SHORT: 'too short',
  TOO_LONG: 'too long',
  INVALID_LENGTH: 'a length no number of that country has',
} as const;

/**
 * Parses a number given in international format ("+" and country code; spaces, dashes, dots and
 * parentheses are allowed) and accepts it only when it is VALID for its country's numbering plan
 * (libphonenumber's full "max" metadata), not merely of a possible length.
 *
 * Why strict: a number that fits no plan cannot be routed reliably, may reach someone else, and
 * has no known location, so the callee-local-hours rule could not be applied. The seed's sample
 * "+123456798" (+1 followed by 8 digits) is therefore refused with "… is not a valid number for
 * any country plan". A tenant may opt into `lenient` validation (see parsePhoneNumberWith):
 * strict stays the default.
 */
export function parsePhoneNumber(raw: string): PhoneNumberParseResult {
  const text = raw.trim();
  if (text === '') return refuse('empty', 'must not be empty');
  // Without a country code the number is ambiguous: a request carries no country to assume.
  if (!text.startsWith('+')) {
    return refuse(
      'not_international',
      'must be in international format: "+", then the country code and number (e.g. +14155552671)',
    );
  }
  // The common case, a valid number, needs one parse; the checks below only explain a refusal.
  const parsed = parsePhoneNumberFromString(text, { extract: false });
  if (parsed && !parsed.ext) {
    // A number with a type is valid: where the plan has type ranges isValid() is exactly "getType() found
    // one", so asking for the type first saves matching the ranges twice (+1 numbers try ~25 plans).
    const type = parsed.getType();
    if (type !== undefined || parsed.isValid()) return { ok: true, value: normalise(parsed, type) };
  }
  return explainRefusal(text, parsed);
}

/** Why a number that is not simply valid is refused, most basic problem first. */
function explainRefusal(text: string, parsed: PhoneNumber | undefined): PhoneNumberParseResult {
  const lengthProblem = validatePhoneNumberLength(text);
  if (lengthProblem === 'NOT_A_NUMBER')
    return refuse('not_a_number', 'is not a phone number');
  if (lengthProblem === 'INVALID_COUNTRY')
    return refuse(
      'unknown_country_code',
      'does not start with a known country calling code',
    );
  if (lengthProblem) return refuseInvalid(LENGTH_DETAIL[lengthProblem]);

  if (!parsed) return refuse('not_a_number', 'is not a phone number');
  if (parsed.ext)
    return refuse(
      'extension_not_supported',
      `must not contain an extension (found "${parsed.ext}")`,
    );
  return refuseInvalid('no number range of that country matches it');
}

function normalise(parsed: PhoneNumber, type: NumberType | undefined): NormalisedPhoneNumber {
  return {
    e164: parsed.number,
    countryCallingCode: parsed.countryCallingCode,
    region: parsed.country ?? null,
    type: type ?? null,
  };
}

const refuse = (
  problem: PhoneNumberProblem,
  reason: string,
): PhoneNumberParseResult => ({ ok: false, problem, reason });

const refuseInvalid = (detail: string) =>
  refuse(
    'invalid_for_country_plan',
    `is not a valid number for any country plan (${detail})`,
  );

export type PhoneNumberValidation = 'strict' | 'lenient';

const E164_SHAPE = /^\+[1-9]\d{6,14}$/;
const CALLING_CODES = new Set<string>(getCountries().map((country) => getCountryCallingCode(country)));

/**
 * `lenient` (a tenant's explicit choice) also accepts a number that no plan knows, as long as it has
 * E.164's shape and a known country calling code: numbering metadata lags new ranges, and vendor
 * samples such as the seed's "+123456798" use placeholders. Such a number has no region and no
 * known time zone, so the callee is assumed to be in the configuration's zone.
 */
export function parsePhoneNumberWith(raw: string, validation: PhoneNumberValidation): PhoneNumberParseResult {
  const strict = parsePhoneNumber(raw);
  if (strict.ok || validation === 'strict' || strict.problem !== 'invalid_for_country_plan') return strict;
  const digits = raw.trim().replace(/[\s().-]/g, '');
  const callingCode = [1, 2, 3].map((length) => digits.slice(1, 1 + length)).find((code) => CALLING_CODES.has(code));
  if (!E164_SHAPE.test(digits) || !callingCode) return strict;
  return { ok: true, value: { e164: digits, countryCallingCode: callingCode as NormalisedPhoneNumber['countryCallingCode'], region: null, type: null } };
}
