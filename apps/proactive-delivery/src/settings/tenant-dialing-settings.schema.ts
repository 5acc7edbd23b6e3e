import { z } from 'zod';
import {
  CONFIGURATION_LIMITS,
  closed,
  describeIssue,
  toFieldErrors,
  type FrequencyCap,
  type ValidationResult,
} from '../configurations/configuration.schema';
import type { PhoneNumberValidation } from '../phone/phone-number';

export const TENANT_SETTINGS_LIMITS = {
  frequencyCapAttempts: CONFIGURATION_LIMITS.frequencyCapAttempts,
  frequencyCapPeriodHours: CONFIGURATION_LIMITS.frequencyCapPeriodHours,
  idempotencyPeriodSeconds: { min: 0, max: 86_400 },
} as const;

export const PHONE_NUMBER_VALIDATIONS = ['strict', 'lenient'] as const satisfies readonly PhoneNumberValidation[];

/** A tenant's dialing settings, as in effect (its own, or the service defaults until it sets them). */
export interface TenantDialingSettings {
  /** At most maxAttempts dial attempts to one number in any periodHours, across all the tenant's deliveries. */
  readonly frequencyCap: FrequencyCap;
  /** A repeated identical create request within this many seconds returns the earlier DeliveryId (PD1.5); 0 turns that off. */
  readonly idempotencyPeriodSeconds: number;
  /**
   * "strict": a number must be valid in its country's plan; "lenient": any E.164-shaped number with
   * a known country code (see parsePhoneNumberWith). Applies to create requests and do-not-call entries.
   */
  readonly phoneNumberValidation: PhoneNumberValidation;
}

// Not z.int(): its check aborts the whole parse and would hide other errors (unknown keys).
const wholeNumber = (bounds: { min: number; max: number }) =>
  z
    .number()
    .min(bounds.min)
    .max(bounds.max)
    .refine(Number.isInteger, { error: (issue) => `must be a whole number, got ${String(issue.input)}` });

const settingsSchema = closed({
  frequencyCap: closed({
    maxAttempts: wholeNumber(TENANT_SETTINGS_LIMITS.frequencyCapAttempts),
    periodHours: wholeNumber(TENANT_SETTINGS_LIMITS.frequencyCapPeriodHours),
  }),
  idempotencyPeriodSeconds: wholeNumber(TENANT_SETTINGS_LIMITS.idempotencyPeriodSeconds),
  phoneNumberValidation: z.enum(PHONE_NUMBER_VALIDATIONS).default('strict'),
});

/**
 * The body of `PUT /proactive/settings`: the settings replaced as a whole (phoneNumberValidation
 * may be left out and is then "strict"); unknown fields are refused.
 */
export function parseTenantSettings(body: unknown): ValidationResult<TenantDialingSettings> {
  const result = settingsSchema.safeParse(body, { error: describeIssue });
  return result.success ? { ok: true, value: result.data } : { ok: false, errors: toFieldErrors(result.error.issues, 'The request body') };
}
