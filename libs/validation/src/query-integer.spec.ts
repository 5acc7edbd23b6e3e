import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validate } from './field-errors';
import { parseWith } from './parse-with';
import { queryInteger } from './query-integer';

const listQuery = z.strictObject({ limit: queryInteger({ min: 1, max: 200 }).default(50) });

describe('queryInteger: a strict decimal whole number in a query string', () => {
  it.each([
    ['1', 1],
    ['200', 200],
    ['007', 7],
  ])('accepts %j as %i', (text, value) => {
    expect(parseWith(listQuery, { limit: text })).toEqual({ limit: value });
  });

  it('takes the default when the parameter is left out', () => {
    expect(parseWith(listQuery, {})).toEqual({ limit: 50 });
  });

  // What z.coerce.number() took: hex, exponents, padding (%20 decodes to a space), signs, fractions, empty.
  it.each(['0x10', '1e1', ' 5', '5 ', '+5', '-1', '2.5', '', '0', '201', '99999999999999999999', 'ten', '１'])('refuses %j naming limit', (text) => {
    expect(validate(listQuery, { limit: text }, 'The query')).toEqual({
      ok: false,
      errors: [{ field: 'limit', message: `limit must be a whole number from 1 to 200, got ${JSON.stringify(text)}` }],
    });
  });

  it('refuses a parameter given twice', () => {
    expect(validate(listQuery, { limit: ['1', '2'] }, 'The query')).toEqual({
      ok: false,
      errors: [{ field: 'limit', message: 'limit must be a whole number from 1 to 200, given once (got several values)' }],
    });
  });

  it('P2.1 through parseWith the 400 names limit', () => {
    expect(() => parseWith(listQuery, { limit: '1e1' })).toThrow(expect.objectContaining({ problems: [{ field: 'limit', message: 'must be a whole number from 1 to 200, got "1e1"' }] }));
  });
});
