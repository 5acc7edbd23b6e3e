import { describe, expect, it } from 'vitest';
import { parseDoNotCallCsv } from './do-not-call-csv';
import { DO_NOT_CALL_LIMITS } from './do-not-call-entry.schema';

const now = new Date('2026-06-01T12:00:00.000Z');
const parse = (text: string) => parseDoNotCallCsv(text, now, 'strict');

function errorsOf(text: string) {
  const result = parse(text);
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.value)}`);
  return result.errors;
}

function entriesOf(text: string) {
  const result = parse(text);
  if (!result.ok) throw new Error(`expected entries, got ${JSON.stringify(result.errors)}`);
  return result.value;
}

describe('parseDoNotCallCsv (PD3.1 bulk import)', () => {
  it('PD3.1 reads rows under a header, normalising numbers to E.164 and empty cells to null', () => {
    const entries = entriesOf(
      ['phoneNumber,reason,expiresAt', '+1 (212) 555-0123,asked on the phone,2027-01-31T23:59:59Z', '+44 20 7946 0958,,', '+4930901820,moved,'].join('\n'),
    );

    expect(entries).toEqual([
      { phoneNumber: '+12125550123', reason: 'asked on the phone', expiresAt: new Date('2027-01-31T23:59:59Z') },
      { phoneNumber: '+442079460958', reason: null, expiresAt: null },
      { phoneNumber: '+4930901820', reason: 'moved', expiresAt: null },
    ]);
  });

  it('PD3.1 takes the optional columns in any order and letter case, a BOM, CRLF line ends and blank lines', () => {
    const entries = entriesOf('\ufeffExpiresAt,PHONENUMBER\r\n\r\n2027-01-01T00:00:00+02:00,+12125550123\r\n');

    expect(entries).toEqual([{ phoneNumber: '+12125550123', reason: null, expiresAt: new Date('2026-12-31T22:00:00Z') }]);
  });

  it('PD3.1 a header with only phoneNumber is enough; quoted cells may hold commas and line breaks', () => {
    expect(entriesOf('phoneNumber\n+12125550123\n')).toEqual([{ phoneNumber: '+12125550123', reason: null, expiresAt: null }]);
    expect(entriesOf('phoneNumber,reason\n+12125550123,"said ""stop"", twice\nthen hung up"\n')[0]?.reason).toBe('said "stop", twice\nthen hung up');
  });

  it('PD3.1 names each bad row by its line (header = row 1) and field, and collects all of them', () => {
    const errors = errorsOf(
      [
        'phoneNumber,reason,expiresAt',
        '+12125550123,ok,',
        '555-0123,no country code,',
        ',missing number,',
        '+12125550124,,2020-01-01T00:00:00Z',
        '+12125550125,,tomorrow',
      ].join('\n'),
    );

    expect(errors.map((error) => error.field)).toEqual(['row 3.phoneNumber', 'row 4.phoneNumber', 'row 5.expiresAt', 'row 6.expiresAt']);
    expect(errors[0]?.message).toMatch(/^row 3: phoneNumber must be in international format/);
    expect(errors[1]?.message).toBe('row 4: phoneNumber is required');
    expect(errors[2]?.message).toMatch(/^row 5: expiresAt must be in the future/);
    expect(errors[3]?.message).toMatch(/^row 6: expiresAt must be an ISO 8601 date and time with a time zone/);
  });

  it('PD3.1 a row after a multi-line cell is still numbered by the line it starts on', () => {
    const errors = errorsOf('phoneNumber,reason\n+12125550123,"two\nlines"\nnot a number,x\n');

    expect(errors.map((error) => error.field)).toEqual(['row 4.phoneNumber']);
  });

  it('PD3.1 refuses a row with more or fewer cells than the header has columns', () => {
    const errors = errorsOf('phoneNumber,reason\n+12125550123,a,b\n+12125550124\n');

    expect(errors).toEqual([
      { field: 'row 2', message: 'row 2 has 3 values, but the header names 2 columns' },
      { field: 'row 3', message: 'row 3 has 1 value, but the header names 2 columns' },
    ]);
  });

  it('PD3.1 refuses the same number twice, however it is written', () => {
    const errors = errorsOf('phoneNumber,reason\n+12125550123,first\n+1 212 555 0123,second\n');

    expect(errors).toEqual([{ field: 'row 3.phoneNumber', message: 'row 3.phoneNumber names +12125550123 again (already in row 2); list each number once' }]);
  });

  it('PD3.1 refuses unknown, repeated or missing header columns', () => {
    expect(errorsOf('phone,reason\n+12125550123,x\n')).toEqual([
      { field: 'header', message: 'The header column "phone" is not known (expected phoneNumber, reason, expiresAt)' },
      { field: 'header', message: 'The header must name a phoneNumber column (header row: phoneNumber,reason,expiresAt)' },
    ]);
    expect(errorsOf('phoneNumber,reason,Reason\n+12125550123,x,y\n')).toEqual([{ field: 'header', message: 'The header names the column reason twice' }]);
  });

  it('PD3.1 refuses an empty file and a header without rows', () => {
    expect(errorsOf('')[0]?.message).toMatch(/^The file is empty/);
    expect(errorsOf('\n\n')[0]?.message).toMatch(/^The file is empty/);
    expect(errorsOf('phoneNumber,reason\n')[0]?.message).toBe('The file has a header but no rows: nothing to import');
  });

  it('PD3.1 reports broken CSV quoting with its line', () => {
    expect(errorsOf('phoneNumber,reason\n+12125550123,"never closed\n')).toEqual([
      { field: 'row 2', message: 'The file is not valid CSV at line 2: Quote Not Closed' },
    ]);
  });

  it(`PD3.1 refuses more than ${DO_NOT_CALL_LIMITS.importRows} rows without validating them`, () => {
    const rows = Array.from({ length: DO_NOT_CALL_LIMITS.importRows + 1 }, () => 'x');
    const errors = errorsOf(['phoneNumber', ...rows].join('\n'));

    expect(errors).toEqual([{ field: '', message: 'The file has more than 50,000 rows; split it into several imports' }]);
  });

  it(`PD3.1 takes exactly ${DO_NOT_CALL_LIMITS.importRows} rows`, () => {
    // Five New York/LA/Chicago/SF area codes × 10 000 line numbers: 50 000 distinct valid numbers.
    const distinct = Array.from({ length: DO_NOT_CALL_LIMITS.importRows }, (_, index) => {
      const areaCode = ['212', '213', '312', '415', '646'][Math.floor(index / 10_000)];
      return `+1${areaCode}555${String(index % 10_000).padStart(4, '0')}`;
    });

    expect(entriesOf(['phoneNumber', ...distinct].join('\n'))).toHaveLength(DO_NOT_CALL_LIMITS.importRows);
  });

  it('PD3.1 (PD1.2) lenient tenants may list numbers no plan knows, as they may dial them', () => {
    expect(parse('phoneNumber\n+123456798\n').ok).toBe(false);
    expect(parseDoNotCallCsv('phoneNumber\n+123456798\n', now, 'lenient')).toEqual({
      ok: true,
      value: [{ phoneNumber: '+123456798', reason: null, expiresAt: null }],
    });
  });
});
