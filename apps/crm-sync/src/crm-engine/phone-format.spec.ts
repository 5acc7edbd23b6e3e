import { describe, expect, it } from 'vitest';
import { formatPhoneNumber, formatWithLibphonenumber, PHONE_FORMATS } from './phone-format';

describe('CS1.2 phone formats: the "+1 and ten digits" shortcut', () => {
  // Random ten-digit national numbers, unassigned area codes and leading 0/1 included: the shortcut must
  // answer what libphonenumber does for every one, in every format and for both purposes.
  const numbers = ['+12223334444', '+11112223333', '+10000000000', '+19999999999', ...Array.from({ length: 2_000 }, () => `+1${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`)];

  it('gives what libphonenumber gives for every +1 number, in every format', () => {
    for (const number of numbers) {
      for (const format of PHONE_FORMATS) {
        for (const purpose of ['create', 'search'] as const) {
          expect(formatPhoneNumber(number, format, purpose), `${number} ${format} ${purpose}`).toBe(formatWithLibphonenumber(number, format, purpose));
        }
      }
    }
  });

  it('reads a +1 number given with spaces around it, and leaves everything else to libphonenumber', () => {
    expect(formatPhoneNumber(' +12223334444 ', 'us_local_standard', 'create')).toBe('(222) 333-4444');
    expect(formatPhoneNumber('+1 222 333 4444', 'e164', 'create')).toBe('+12223334444');
    expect(formatPhoneNumber('+122233344445', 'e164', 'create')).toBe(formatWithLibphonenumber('+122233344445', 'e164', 'create'));
  });
});
