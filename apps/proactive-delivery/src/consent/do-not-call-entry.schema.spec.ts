import { describe, expect, it } from 'vitest';
import {
  encodeCursor,
  parseDoNotCallEntry,
  parseDoNotCallImportJson,
  parseDoNotCallListQuery,
  parseIncludeExpiredQuery,
  parsePhoneNumberParam,
} from './do-not-call-entry.schema';

const now = new Date('2026-06-01T12:00:00.000Z');

describe('do-not-call entry input (PD3.1)', () => {
  it('PD3.1 normalises the number to E.164 and defaults reason and expiry to null', () => {
    expect(parseDoNotCallEntry({ phoneNumber: '+1 212-555-0123' }, now, 'strict')).toEqual({
      ok: true,
      value: { phoneNumber: '+12125550123', reason: null, expiresAt: null },
    });
    expect(parseDoNotCallEntry({ phoneNumber: '+12125550123', reason: '  opted out  ', expiresAt: '2026-06-02T00:00:00+01:00' }, now, 'strict')).toEqual({
      ok: true,
      value: { phoneNumber: '+12125550123', reason: 'opted out', expiresAt: new Date('2026-06-01T23:00:00.000Z') },
    });
  });

  it('PD3.1 names every bad field at once, unknown ones included', () => {
    const result = parseDoNotCallEntry({ phoneNumber: '+1234', expiresAt: '2026-06-01T11:59:59Z', reason: 'x'.repeat(501), phone: 'x' }, now, 'strict');

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => error.field).sort()).toEqual(['expiresAt', 'phone', 'phoneNumber', 'reason']);
    expect(result.errors.find((error) => error.field === 'expiresAt')?.message).toBe(
      'expiresAt must be in the future (it is 2026-06-01T11:59:59.000Z, now is 2026-06-01T12:00:00.000Z)',
    );
  });

  it('PD3.1 an expiry without a time zone is ambiguous and refused', () => {
    const result = parseDoNotCallEntry({ phoneNumber: '+12125550123', expiresAt: '2027-01-01T00:00:00' }, now, 'strict');

    expect(result).toMatchObject({ ok: false, errors: [{ field: 'expiresAt' }] });
  });

  it('PD3.1 JSON import: entries are checked with their index, duplicates refused', () => {
    const result = parseDoNotCallImportJson(
      { entries: [{ phoneNumber: '+12125550123' }, { phoneNumber: 'nope' }, { phoneNumber: '+1 (212) 555-0123' }] },
      now,
      'strict',
    );

    expect(result).toMatchObject({ ok: false, errors: [{ field: 'entries[1].phoneNumber' }] });
    const duplicates = parseDoNotCallImportJson({ entries: [{ phoneNumber: '+12125550123' }, { phoneNumber: '+1 (212) 555-0123' }] }, now, 'strict');
    expect(duplicates).toEqual({
      ok: false,
      errors: [{ field: 'entries[1].phoneNumber', message: 'entries[1].phoneNumber names +12125550123 again (already in entries[0]); list each number once' }],
    });
    expect(parseDoNotCallImportJson({ entries: [] }, now, 'strict')).toMatchObject({ ok: false, errors: [{ field: 'entries' }] });
  });
});

describe('do-not-call list query and path (PD3.1)', () => {
  it('PD3.1 defaults: 100 per page, from the start, unexpired only', () => {
    expect(parseDoNotCallListQuery({})).toEqual({ ok: true, value: { limit: 100, after: null, includeExpired: false } });
  });

  it('PD3.1 takes a cursor it issued and refuses anything else', () => {
    expect(parseDoNotCallListQuery({ limit: '2', cursor: encodeCursor('+12125550123'), includeExpired: 'true' })).toEqual({
      ok: true,
      value: { limit: 2, after: '+12125550123', includeExpired: true },
    });
    expect(parseDoNotCallListQuery({ cursor: '+12125550123' })).toMatchObject({ ok: false, errors: [{ field: 'cursor' }] });
    expect(parseDoNotCallListQuery({ cursor: encodeCursor('DROP TABLE') })).toMatchObject({ ok: false, errors: [{ field: 'cursor' }] });
  });

  it('PD3.1 refuses bad limits, non-boolean flags and unknown parameters', () => {
    for (const limit of ['0', '1001', '-1', '2.5', 'ten']) {
      expect(parseDoNotCallListQuery({ limit })).toMatchObject({ ok: false, errors: [{ field: 'limit' }] });
    }
    expect(parseDoNotCallListQuery({ includeExpired: 'yes' })).toMatchObject({ ok: false, errors: [{ field: 'includeExpired' }] });
    expect(parseDoNotCallListQuery({ page: '2' })).toMatchObject({ ok: false, errors: [{ field: 'page' }] });
    expect(parseIncludeExpiredQuery({ includeExpired: 'false' })).toEqual({ ok: true, value: false });
    expect(parseIncludeExpiredQuery({ limit: '1' })).toMatchObject({ ok: false, errors: [{ field: 'limit' }] });
  });

  it('PD3.1 a path number may be in any parseable form; garbage is a 400 naming phoneNumber', () => {
    expect(parsePhoneNumberParam('+1 (212) 555-0123')).toEqual({ ok: true, value: '+12125550123' });
    // Lenient, so an entry stored while the tenant was lenient can still be found and removed.
    expect(parsePhoneNumberParam('+123456798')).toEqual({ ok: true, value: '+123456798' });
    expect(parsePhoneNumberParam(' 12125550123')).toMatchObject({ ok: false, errors: [{ field: 'phoneNumber' }] });
  });
});
