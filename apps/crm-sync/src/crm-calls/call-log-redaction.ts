import type { SessionValues } from '../crm-engine/crm-variables';
import { PHONE_FORMATS, formatPhoneNumber } from '../crm-engine/phone-format';

export const REDACTED_VALUE = '<redacted>';

/** The variables that name the customer or agent: never kept in the call log. */
const PERSONAL_VARIABLES = ['PHONE_NUMBER', 'OUTBOUND_PHONE_NUMBER', 'EMAIL', 'NAME', 'FIRST_NAME', 'LAST_NAME', 'SDK_NAME', 'SDK_EMAIL', 'SDK_PHONE', 'CUSTOM_USER_ID', 'AGENT_EMAIL', 'FEEDBACK'] as const;
const PHONE_VARIABLES = new Set(['PHONE_NUMBER', 'OUTBOUND_PHONE_NUMBER', 'SDK_PHONE']);

/** Every spelling of the session's personal values a request could carry (phone numbers in each CS1.2 format). */
export function personalValuesOf(values: SessionValues): string[] {
  const found = new Set<string>();
  for (const variable of PERSONAL_VARIABLES) {
    const value = values[variable]?.trim();
    if (!value || value.length < 3) continue;
    found.add(value);
    if (PHONE_VARIABLES.has(variable)) {
      for (const format of PHONE_FORMATS) for (const purpose of ['create', 'search'] as const) found.add(formatPhoneNumber(value, format, purpose));
    }
  }
  return [...found].filter((value) => value.length >= 3);
}

/**
 * The URL as the call log keeps it: every query value replaced (it may hold a literal API key as well as
 * search terms), path segments that hold a personal value replaced, credentials dropped.
 */
export function redactedCallUrl(url: string, personal: readonly string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return REDACTED_VALUE;
  }
  const path = parsed.pathname
    .split('/')
    .map((segment) => (personal.some((value) => safeDecode(segment).includes(value)) ? REDACTED_VALUE : segment))
    .join('/');
  const names = [...new Set(parsed.searchParams.keys())];
  const query = names.map((name) => `${encodeURIComponent(name)}=${REDACTED_VALUE}`).join('&');
  return `${parsed.protocol}//${parsed.host}${path}${query ? `?${query}` : ''}`;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
