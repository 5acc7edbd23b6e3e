import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { closed, optionalFields } from './closed';
import { validate, valueOrValidationFailed } from './field-errors';
import { describeIssue, quote } from './issue-wording';
import { lowerCaseGuid, parseNamed } from './named-input';
import { phoneNumberField } from './phone-number-field';

const person = closed({ name: z.string().min(1).max(5), age: z.number().min(0), tags: z.array(z.string()).max(1), kind: z.enum(['a', 'b']) });
const valid = { name: 'Ada', age: 36, tags: [], kind: 'a' };

describe('field errors: one sentence per problem, each naming its field (P2.1)', () => {
  it('P2.1 words every kind of issue as "<field> <predicate>"', () => {
    expect(validate(person, { name: '', age: 'old', tags: ['x', 'y'], kind: 'c' }, 'The person')).toEqual({
      ok: false,
      errors: [
        { field: 'name', message: 'name must not be empty' },
        { field: 'age', message: 'age must be a number, not a string' },
        { field: 'tags', message: 'tags must contain at most 1 item' },
        { field: 'kind', message: 'kind must be one of "a", "b"' },
      ],
    });
    expect(validate(person, { ...valid, name: 'Adelaide', age: -1.5 }, 'The person')).toMatchObject({
      errors: [{ message: 'name must be at most 5 characters long' }, { message: 'age must be at least 0' }],
    });
  });

  it('P2.1 names the input itself by its label when the problem is the whole input', () => {
    expect(validate(person, [1], 'The person')).toEqual({ ok: false, errors: [{ field: '', message: 'The person must be a JSON object, not an array' }] });
    expect(validate(person, undefined, 'The person')).toEqual({ ok: false, errors: [{ field: '', message: 'The person is required' }] });
  });

  it('P2.1 closed() refuses unknown keys one by one, with a hint when only the case is wrong, alongside other errors', () => {
    expect(validate(person, { ...valid, Name: 'x', age: true, colour: 'red' }, 'The person')).toEqual({
      ok: false,
      errors: [
        { field: 'age', message: 'age must be a number, not a boolean (true)' },
        { field: 'Name', message: 'Name is not a known field (did you mean "name"? Field names are case-sensitive)' },
        { field: 'colour', message: 'colour is not a known field (expected name, age, tags, kind)' },
      ],
    });
  });

  it('a closed() schema parses into exactly its fields; optionalFields makes each one optional', () => {
    expect(validate(person, valid, 'The person')).toEqual({ ok: true, value: valid });
    const patch = closed(optionalFields(person.shape));
    expect(validate(patch, { age: 3 }, 'The patch')).toEqual({ ok: true, value: { age: 3 } });
    expect(validate(patch, { age: 3, nickname: 'x' }, 'The patch')).toMatchObject({ ok: false, errors: [{ field: 'nickname' }] });
  });

  it('describes GUIDs, fractional numbers, nulls and other formats in words', () => {
    const schema = z.object({ id: z.guid(), count: z.int(), email: z.email(), note: z.string() });
    expect(validate(schema, { id: 'x', count: 1.5, email: 'nope', note: null }, 'The input')).toMatchObject({
      errors: [
        { message: 'id must be a GUID like 00000000-0000-0000-0000-000000000000' },
        { message: 'count must be a whole number, not a fractional number' },
        { message: 'email must be a valid email' },
        { message: 'note must be a string, not null' },
      ],
    });
    expect(describeIssue({ code: 'custom', input: 1, path: [] } as never)).toBe('is invalid');
  });

  it('quote() shortens long input quoted back in messages', () => {
    expect(quote('x'.repeat(50))).toBe(`"${'x'.repeat(40)}…"`);
    expect(quote(12)).toBe('"12"');
  });

  it('P2.1 valueOrValidationFailed unwraps a valid result and throws a 400 naming each field otherwise', () => {
    expect(valueOrValidationFailed({ ok: true, value: 5 })).toBe(5);
    const thrown = catchError(() => valueOrValidationFailed(validate(person, { ...valid, age: 'x' }, 'The person')));
    expect(thrown).toMatchObject({ status: 400, problems: [{ field: 'age', message: 'age must be a number, not a string' }] });
    const whole = catchError(() => valueOrValidationFailed(validate(person, 'text', 'The person')));
    expect(whole).toMatchObject({ problems: [{ field: '(root)', message: 'The person must be a JSON object, not a string' }] });
  });
});

describe('named inputs and phone numbers', () => {
  it('P2.1 parseNamed puts the name of a path parameter or header on its error', () => {
    expect(parseNamed('id', lowerCaseGuid(), 'AAAAAAAA-0000-4000-8000-00000000000A')).toBe('aaaaaaaa-0000-4000-8000-00000000000a');
    expect(catchError(() => parseNamed('id', lowerCaseGuid(), 'nope'))).toMatchObject({ status: 400, problems: [{ field: 'id', message: 'must be a GUID' }] });
  });

  it('PD1.2 phoneNumberField normalises to E.164 and words a refusal as a predicate; lenient takes plan-less numbers', () => {
    const schema = z.object({ phone: phoneNumberField(32) });
    expect(validate(schema, { phone: '+1 (212) 555-0123' }, 'x')).toMatchObject({ ok: true, value: { phone: { e164: '+12125550123', region: 'US' } } });
    expect(validate(schema, { phone: '+123456798' }, 'x')).toEqual({
      ok: false,
      errors: [{ field: 'phone', message: 'phone is not a valid number for any country plan (too short)' }],
    });
    expect(validate(schema, { phone: `+1${'2'.repeat(40)}` }, 'x')).toMatchObject({ errors: [{ message: 'phone must be at most 32 characters long' }] });
    expect(validate(z.object({ phone: phoneNumberField(32, 'lenient') }), { phone: '+123456798' }, 'x')).toMatchObject({ ok: true, value: { phone: { e164: '+123456798', region: null } } });
  });
});

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
