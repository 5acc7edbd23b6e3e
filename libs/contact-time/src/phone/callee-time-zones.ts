import { IANAZone } from 'luxon';
import type { NormalisedPhoneNumber } from './phone-number';
import { timeZonesByPrefix } from './time-zone-table';

/**
 * The IANA zones a number may be in, from libphonenumber's prefix → time zone table.
 *
 * Ambiguity is kept, not guessed away: an area code spanning zones (Alaska 907 → Adak and
 * Anchorage), a country-wide range (Australia +61 8 → Adelaide and Perth) or a non-geographic
 * number (NANP toll-free → 42 zones from Guam to Newfoundland) yields every candidate, and the
 * contact-window rule then requires ALL of them to be inside the callee's local hours. A number
 * with so many zones that no hour suits all of them cannot be called, and creation says so.
 * An empty list means the table knows nothing; the configuration's zone is then assumed.
 */
export function resolveCalleeTimeZones(phone: NormalisedPhoneNumber): string[] {
  // The table uses IANA names; anything luxon cannot use (e.g. "Etc/Unknown") is dropped.
  // IANAZone.create is cached by luxon; isValidZone would build an Intl formatter every call.
  return [...new Set(timeZonesByPrefix(phone.e164))].filter((zone) => IANAZone.create(zone).isValid).sort();
}
