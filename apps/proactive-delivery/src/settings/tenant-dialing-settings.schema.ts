import type { PhoneNumberValidation } from '@switchboard/contact-time';
import { closed, validate, wholeNumber, type ValidationResult } from '@switchboard/validation';
import { z } from 'zod';
import { CONFIGURATION_LIMITS, type FrequencyCap } from '../configurations/configuration.schema';

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

/**
 * The body of `PUT /proactive/settings`: the settings replaced as a whole (phoneNumberValidation
 * may be left out and is then "strict"); unknown fields are refused.
 */
export const tenantSettingsSchema = closed({
  frequencyCap: closed({
    maxAttempts: wholeNumber(TENANT_SETTINGS_LIMITS.frequencyCapAttempts),
    periodHours: wholeNumber(TENANT_SETTINGS_LIMITS.frequencyCapPeriodHours),
  }),
  idempotencyPeriodSeconds: wholeNumber(TENANT_SETTINGS_LIMITS.idempotencyPeriodSeconds),
  phoneNumberValidation: z.enum(PHONE_NUMBER_VALIDATIONS).default('strict'),
});

/** Settings as the API documents them: the service defaults, written out. */
export const tenantSettingsExample: z.input<typeof tenantSettingsSchema> = {
  frequencyCap: { maxAttempts: 3, periodHours: 24 },
  idempotencyPeriodSeconds: 600,
  phoneNumberValidation: 'strict',
};

export function parseTenantSettings(body: unknown): ValidationResult<TenantDialingSettings> {
  return validate(tenantSettingsSchema, body, 'The request body');
}
