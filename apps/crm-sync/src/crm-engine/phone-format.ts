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
  // Most numbers a contact center sees are "+1" and ten digits, which libphonenumber reads as exactly that
  // (phone-format.spec holds the two equal): they skip its parse, a few microseconds on every CRM call.
  const nanp = NANP_E164.exec(raw.trim());
  if (nanp) return formatted(format, purpose, { e164: nanp[0], national: nanp[0].slice(2), groups: { area: nanp[1] ?? '', exchange: nanp[2] ?? '', line: nanp[3] ?? '' } });
  return formatWithLibphonenumber(raw, format, purpose);
}

/** formatPhoneNumber through libphonenumber alone (exported for the test that holds the shortcut equal to it). */
export function formatWithLibphonenumber(raw: string, format: PhoneFormat, purpose: PhonePurpose): string {
  const parsed = parsePhoneNumberFromString(raw.trim(), 'US');
  if (!parsed) return raw;
  const groups = parsed.countryCallingCode === '1' ? NANP_NATIONAL.exec(parsed.nationalNumber) : null;
  return formatted(format, purpose, {
    e164: parsed.number,
    national: parsed.nationalNumber,
    ...(groups ? { groups: { area: groups[1] ?? '', exchange: groups[2] ?? '', line: groups[3] ?? '' } } : { parsed }),
  });
}

const NANP_E164 = /^\+1(\d{3})(\d{3})(\d{4})$/;
const NANP_NATIONAL = /^(\d{3})(\d{3})(\d{4})$/;

/** A North American number's 3-3-4 groups. */
interface NanpGroups {
  area: string;
  exchange: string;
  line: string;
}

/** A number as read: North American ones by their groups, others by libphonenumber's reading. */
type ReadNumber = { e164: string; national: string } & ({ groups: NanpGroups } | { parsed: PhoneNumber });

function formatted(format: PhoneFormat, purpose: PhonePurpose, number: ReadNumber): string {
  switch (format) {
    case 'e164':
      return number.e164;
    case 'us_local':
      return number.national;
    case 'us_local_standard':
      return 'groups' in number ? `(${number.groups.area}) ${number.groups.exchange}-${number.groups.line}` : number.parsed.formatNational();
    case 'international':
      return international(number);
    case 'automatic':
      return purpose === 'create' ? international(number) : wildcardSearchOf(international(number));
  }
}

/**
 * A North American number grouped 3-3-4 whether or not its area code is assigned: libphonenumber
 * leaves unassigned ones (the table's own `111 222 3333`) ungrouped, and CRMs store them all alike.
 */
function international(number: ReadNumber): string {
  return 'groups' in number ? `+1 ${number.groups.area} ${number.groups.exchange} ${number.groups.line}` : number.parsed.formatInternational();
}

/** `+1 222 333 4444` → `*222*333*4444`: the national groups, each may be preceded by anything in the CRM's copy. */
function wildcardSearchOf(international: string): string {
  const [, ...groups] = international.split(' ');
  return groups.map((group) => `*${group}`).join('');
}
