import { parsePhoneNumber } from '@switchboard/contact-time';
import { describe, expect, it } from 'vitest';
import { RecentPhoneNumbers } from './recent-phone-numbers';

const SAMPLES = ['+16502530000', '+1 (650) 253-0001', '+442071838750', '+123456798', 'not a number', '', '  ', '14155552671', '+1650253000012345678', '+49 30 901820 ext. 7'];

describe('RecentPhoneNumbers (the invoke API\'s numbers, judged once per process)', () => {
  it('OM3.1 answers exactly what parsePhoneNumber answers, valid or refused, the first time and again', () => {
    const numbers = new RecentPhoneNumbers(100);
    for (const raw of [...SAMPLES, ...SAMPLES]) expect(numbers.parse(raw)).toEqual(parsePhoneNumber(raw));
  });

  it('OM3.1 a number seen before is answered from memory: the same answer, frozen, so no request can change it for another', () => {
    const numbers = new RecentPhoneNumbers(100);
    const first = numbers.parse('+16502530000');
    expect(numbers.parse('+16502530000')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(first.ok && Object.isFrozen(first.value)).toBe(true);
  });

  it('keeps at most its capacity, the oldest out first, and never keeps a text longer than any number', () => {
    const numbers = new RecentPhoneNumbers(2);
    const first = numbers.parse('+16502530000');
    numbers.parse('+16502530001');
    numbers.parse('+16502530002');
    expect(numbers.size).toBe(2);
    expect(numbers.parse('+16502530000')).not.toBe(first);

    const long = `+1650253${'0'.repeat(100)}`;
    expect(numbers.parse(long)).toEqual(parsePhoneNumber(long));
    expect(numbers.parse(long)).not.toBe(numbers.parse(long));
  });
});
