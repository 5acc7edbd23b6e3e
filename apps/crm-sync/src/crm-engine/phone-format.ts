import { type PhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/min';

/** The phone number formats of CS1.2. */
export const PHONE_FORMATS = ['automatic', 'e164', 'us_local', 'us_local_standard', 'international'] as const;
export type PhoneFormat = (typeof PHONE_FORMATS)[number];

/** Find endpoints search with the number, the others store it; "automatic" writes the two differently. */
export type PhonePurpose = 'create' | 'search';

/**
 * A number in the tenant's format, exactly as the table of CS1.2:
 * automatic `+1 222 333 4444` (create) / `*222*333*4444` (search), E.164 `+12223334444`,
 * US local `2223334444`, US local standard `(111) 222-3333`, international `+1 222 333 4444`.
 * A number without "+" is read as a North American one; one libphonenumber cannot read is passed on as given.
 */
export function formatPhoneNumber(raw: string, format: PhoneFormat, purpose: PhonePurpose): string {
  const parsed = parsePhoneNumberFromString(raw.trim(), 'US');
  if (!parsed) return raw;
  switch (format) {
    case 'e164':
      return parsed.number;
    case 'us_local':
      return parsed.nationalNumber;
    case 'us_local_standard':
      return nanpGroups(parsed)?.national ?? parsed.formatNational();
    case 'international':
      return international(parsed);
    case 'automatic':
      return purpose === 'create' ? international(parsed) : wildcardSearchOf(international(parsed));
  }
}

function international(parsed: PhoneNumber): string {
  return nanpGroups(parsed)?.international ?? parsed.formatInternational();
}

/**
 * A North American number grouped 3-3-4 whether or not its area code is assigned: libphonenumber
 * leaves unassigned ones (the table's own `111 222 3333`) ungrouped, and CRMs store them all alike.
 */
function nanpGroups(parsed: PhoneNumber): { international: string; national: string } | undefined {
  const match = parsed.countryCallingCode === '1' ? /^(\d{3})(\d{3})(\d{4})$/.exec(parsed.nationalNumber) : null;
  if (!match) return undefined;
  const [, area, exchange, line] = match;
  return { international: `+1 ${area} ${exchange} ${line}`, national: `(${area}) ${exchange}-${line}` };
}

/** `+1 222 333 4444` → `*222*333*4444`: the national groups, each may be preceded by anything in the CRM's copy. */
function wildcardSearchOf(international: string): string {
  const [, ...groups] = international.split(' ');
  return groups.map((group) => `*${group}`).join('');
}
