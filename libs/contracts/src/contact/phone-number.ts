import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { z } from 'zod';

const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * The E.164 shape the messaging and delivery events carry (a plus, 6 to 15 digits), checked by shape only:
 * a provider's webhook number must match it before it goes into an event.
 */
export const E164_EVENT_NUMBER = /^\+[1-9]\d{5,14}$/;

/** A phone number field of an event: E.164 by shape (E164_EVENT_NUMBER). */
export const eventPhoneNumberSchema = z.string().regex(E164_EVENT_NUMBER);

/**
 * A phone number in E.164 form ("+14155552671") that is valid in its country's numbering plan
 * (libphonenumber, full metadata). Other spellings are refused: the contract carries one form.
 */
export const e164PhoneNumberSchema = z
  .string()
  .max(16)
  .refine((value) => E164.test(value), 'must be an E.164 phone number such as +14155552671 (a plus, the country code, the number, nothing else)')
  .refine((value) => !E164.test(value) || isValidPhoneNumber(value), 'is not a valid number in its country\'s numbering plan');
