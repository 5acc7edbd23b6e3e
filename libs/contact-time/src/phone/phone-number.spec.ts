import { type Examples, getCountries, getExampleNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import mobileExamples from 'libphonenumber-js/examples.mobile.json';
import { describe, expect, it } from 'vitest';
import { parsePhoneNumber, parsePhoneNumberWith, type PhoneNumberParseResult } from './phone-number';

function valueOf(result: PhoneNumberParseResult) {
  if (!result.ok)
    throw new Error(
      `expected a valid number, got ${result.problem}: ${result.reason}`,
    );
  return result.value;
}

describe('DestinationPhoneNumber parsing and normalisation (PD1.2)', () => {
  it.each([
    ['+14155552671', '+14155552671', 'US'],
    ['+1 (212) 555-0123', '+12125550123', 'US'],
    ['  +1.212.555.0123 ', '+12125550123', 'US'],
    ['+49 30 123456', '+4930123456', 'DE'],
    ['+49 (0)30 123456', '+4930123456', 'DE'],
    ['+44 20 7946 0958', '+442079460958', 'GB'],
    ['+1 242 357 1234', '+12423571234', 'BS'],
    ['+61 2 6555 1234', '+61265551234', 'AU'],
  ])('PD1.2 normalises %j to E.164 %s (region %s)', (input, e164, region) => {
    const value = valueOf(parsePhoneNumber(input));
    expect(value.e164).toBe(e164);
    expect(value.region).toBe(region);
  });

  it('PD1.2 reports the number type and calling code', () => {
    expect(valueOf(parsePhoneNumber('+33 6 12 34 56 78'))).toEqual({
      e164: '+33612345678',
      countryCallingCode: '33',
      region: 'FR',
      type: 'MOBILE',
    });
    expect(valueOf(parsePhoneNumber('+1 800 555 0199')).type).toBe('TOLL_FREE');
  });

  it("PD1.2 accepts exactly what libphonenumber's isValid() accepts, with its getType(), in every country's plan", () => {
    // The JSON's national numbers are plain strings; the library types them as tagged ones.
    const examples = mobileExamples as unknown as Examples;
    const samples = getCountries().flatMap((country) => {
      const example = getExampleNumber(country, examples)?.number;
      // The example, one digit short and one digit long: valid and invalid numbers of every plan.
      return example ? [example, example.slice(0, -1), `${example}5`, `${example.slice(0, -2)}00`] : [];
    });
    expect(samples.length).toBeGreaterThan(800);
    for (const sample of samples) {
      const reference = parsePhoneNumberFromString(sample, { extract: false });
      const result = parsePhoneNumber(sample);
      expect(result.ok, sample).toBe(reference?.isValid() ?? false);
      if (result.ok) expect(result.value.type, sample).toBe(reference?.getType() ?? null);
    }
  });

  it('PD1.2 accepts a non-geographic number (+800) with no region', () => {
    expect(valueOf(parsePhoneNumber('+800 1234 5678'))).toMatchObject({
      e164: '+80012345678',
      region: null,
    });
  });

  it("PD1.2 refuses the seed's sample +123456798: +1 with 8 digits fits no country plan", () => {
    expect(parsePhoneNumber('+123456798')).toEqual({
      ok: false,
      problem: 'invalid_for_country_plan',
      reason: 'is not a valid number for any country plan (too short)',
    });
  });

  it.each([
    ['', 'empty', 'DestinationPhoneNumber must not be empty'],
    ['   ', 'empty', 'DestinationPhoneNumber must not be empty'],
    [
      '4155552671',
      'not_international',
      'DestinationPhoneNumber must be in international format: "+", then the country code and number (e.g. +14155552671)',
    ],
    [
      '0049 30 123456',
      'not_international',
      'DestinationPhoneNumber must be in international format: "+", then the country code and number (e.g. +14155552671)',
    ],
    ['+', 'not_a_number', 'DestinationPhoneNumber is not a phone number'],
    [
      '+1 abc 212',
      'not_a_number',
      'DestinationPhoneNumber is not a phone number',
    ],
    [
      '+1-800-FLOWERS',
      'not_a_number',
      'DestinationPhoneNumber is not a phone number',
    ],
    [
      '+999 123456',
      'unknown_country_code',
      'DestinationPhoneNumber does not start with a known country calling code',
    ],
    [
      '+1 212 555 01234',
      'invalid_for_country_plan',
      'DestinationPhoneNumber is not a valid number for any country plan (too long)',
    ],
    [
      '+49301',
      'invalid_for_country_plan',
      'DestinationPhoneNumber is not a valid number for any country plan (too short)',
    ],
    [
      '+1 212 055 0123',
      'invalid_for_country_plan',
      'DestinationPhoneNumber is not a valid number for any country plan (no number range of that country matches it)',
    ],
    [
      '+1 212 555 0123 ext. 12',
      'extension_not_supported',
      'DestinationPhoneNumber must not contain an extension (found "12")',
    ],
  ])('PD1.2 refuses %j (%s)', (input, problem, message) => {
    expect(parsePhoneNumber(input)).toEqual({
      ok: false,
      problem,
      reason: message.replace(/^DestinationPhoneNumber /, ''),
    });
  });
});

describe('lenient validation (a tenant opt-in)', () => {
  it('accepts the seed sample +123456798 only when lenient, with no region', () => {
    expect(parsePhoneNumberWith('+123456798', 'strict').ok).toBe(false);
    expect(parsePhoneNumberWith('+123456798', 'lenient')).toEqual({ ok: true, value: { e164: '+123456798', countryCallingCode: '1', region: null, type: null } });
  });

  it('still refuses what has no E.164 shape or no known country code, even when lenient', () => {
    expect(parsePhoneNumberWith('12345', 'lenient').ok).toBe(false);
    expect(parsePhoneNumberWith('+999123456789', 'lenient').ok).toBe(false);
    expect(parsePhoneNumberWith('+1 212 555 0123 ext 5', 'lenient').ok).toBe(false);
  });

  it('keeps valid numbers exactly as strict parsing gives them', () => {
    expect(parsePhoneNumberWith('+1 212 555 0123', 'lenient')).toEqual(parsePhoneNumber('+1 212 555 0123'));
  });
});
