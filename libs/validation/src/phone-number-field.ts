import { parsePhoneNumberWith, type NormalisedPhoneNumber, type PhoneNumberValidation } from '@switchboard/contact-time';
import { z } from 'zod';

/**
 * A phone number in international format, valid in its country's plan (unless `lenient`),
 * parsed into its E.164 form, region and type. The message completes "<field> …".
 */
export function phoneNumberField(maxLength: number, validation: PhoneNumberValidation = 'strict'): z.ZodType<NormalisedPhoneNumber, string> {
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
