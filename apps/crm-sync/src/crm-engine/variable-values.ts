import { type CrmVariable, PHONE_VARIABLES, type SessionValues } from './crm-variables';
import { formatPhoneNumber, type PhoneFormat, type PhonePurpose } from './phone-format';

/** LAST_NAME when the name has none (CS3.1), so that CRMs that require a last name accept the account. */
export const MISSING_LAST_NAME = '--';

/**
 * How a variable's value is looked up for one request: phone numbers formatted per CS1.2 for the
 * request's purpose, FIRST_NAME / LAST_NAME split from NAME, CUSTOM_USER_ID the left side of the
 * e-mail (mobile users), unless the session gives them itself.
 */
export function variableLookup(values: SessionValues, phoneFormat: PhoneFormat, purpose: PhonePurpose): (variable: CrmVariable) => string | undefined {
  return (variable) => {
    const given = values[variable]?.trim();
    if (given && PHONE_VARIABLES.has(variable)) return formatPhoneNumber(given, phoneFormat, purpose);
    if (given) return given;
    switch (variable) {
      case 'FIRST_NAME':
        return nameParts(values.NAME).first;
      case 'LAST_NAME':
        return nameParts(values.NAME).last ?? MISSING_LAST_NAME;
      case 'CUSTOM_USER_ID':
        return values.EMAIL?.includes('@') ? values.EMAIL.slice(0, values.EMAIL.lastIndexOf('@')) || undefined : undefined;
      default:
        return undefined;
    }
  };
}

/** "Kim Lee Park" → Kim / Lee Park; "Kim" → Kim / none. */
function nameParts(name: string | undefined): { first?: string; last?: string } {
  const words = name?.trim().split(/\s+/).filter(Boolean) ?? [];
  return { first: words[0], last: words.length > 1 ? words.slice(1).join(' ') : undefined };
}
