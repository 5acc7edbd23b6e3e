/** GSM 03.38 default alphabet: one septet each. */
const GSM7_BASIC = new Set(
  Array.from('@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà'),
);
/** The extension table: two septets each (an escape, then the character). */
const GSM7_EXTENSION = new Set(Array.from('^{}\\[~]|€\f'));

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsSegmentCount {
  encoding: SmsEncoding;
  /** Characters as the customer sees them (code points). */
  characters: number;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  segments: number;
}

const LIMITS: Record<SmsEncoding, { single: number; concatenated: number }> = {
  // A concatenated segment gives 7 septets / 3 code units of its 140 octets to the UDH.
  'GSM-7': { single: 160, concatenated: 153 },
  'UCS-2': { single: 70, concatenated: 67 },
};

/**
 * How many SMS segments a text takes: GSM-7 when every character is in the default alphabet or its
 * extension, else UCS-2. Concatenated segments are packed greedily without splitting an escape pair
 * (GSM-7) or a surrogate pair (UCS-2), as handsets reassemble them.
 */
export function countSmsSegments(text: string): SmsSegmentCount {
  const characters = Array.from(text);
  const gsm = characters.every((c) => GSM7_BASIC.has(c) || GSM7_EXTENSION.has(c));
  const encoding: SmsEncoding = gsm ? 'GSM-7' : 'UCS-2';
  const sizes = characters.map((c) => (gsm ? (GSM7_EXTENSION.has(c) ? 2 : 1) : c.length));
  const units = sizes.reduce((sum, size) => sum + size, 0);
  const limits = LIMITS[encoding];
  if (units <= limits.single) return { encoding, characters: characters.length, units, segments: units === 0 ? 0 : 1 };
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > limits.concatenated) {
      segments++;
      used = 0;
    }
    used += size;
  }
  return { encoding, characters: characters.length, units, segments };
}
