import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/** The caller's number in the two forms CRM users store it in. */
export interface CallerNumber {
  /** +12125550123 */
  e164: string;
  /** 2125550123: the ANI with "+" and the country code stripped (seed 001: "ANI entfernen"). */
  national: string;
}

const ANI_CHARACTERS = /^\+?[0-9 ()./-]{4,32}$/;

/**
 * Reads an ANI as a voice platform hands it over: E.164 with "+", or the same digits without it
 * (many trunks drop the "+"). Undefined when it is no possible number of any country plan.
 */
export function callerNumberOf(ani: string): CallerNumber | undefined {
  const text = ani.trim();
  if (!ANI_CHARACTERS.test(text)) return undefined;
  const digits = text.replace(/\D/g, '');
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  if (!parsed?.isPossible()) return undefined;
  return { e164: parsed.number, national: parsed.nationalNumber };
}
