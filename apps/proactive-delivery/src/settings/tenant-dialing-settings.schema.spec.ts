import { describe, expect, it } from 'vitest';
import { parseTenantSettings } from './tenant-dialing-settings.schema';

const valid = { frequencyCap: { maxAttempts: 5, periodHours: 48 }, idempotencyPeriodSeconds: 900 };

describe('tenant dialing settings input (PD1.5, frequency cap)', () => {
  it('PD1.5 takes the full settings; phoneNumberValidation defaults to strict', () => {
    expect(parseTenantSettings(valid)).toEqual({ ok: true, value: { ...valid, phoneNumberValidation: 'strict' } });
    expect(parseTenantSettings({ ...valid, phoneNumberValidation: 'lenient', idempotencyPeriodSeconds: 0 })).toEqual({
      ok: true,
      value: { ...valid, idempotencyPeriodSeconds: 0, phoneNumberValidation: 'lenient' },
    });
  });

  it.each([
    [{ ...valid, frequencyCap: { maxAttempts: 0, periodHours: 1 } }, 'frequencyCap.maxAttempts', 'frequencyCap.maxAttempts must be at least 1'],
    [{ ...valid, frequencyCap: { maxAttempts: 101, periodHours: 1 } }, 'frequencyCap.maxAttempts', 'frequencyCap.maxAttempts must be at most 100'],
    [{ ...valid, frequencyCap: { maxAttempts: 1, periodHours: 721 } }, 'frequencyCap.periodHours', 'frequencyCap.periodHours must be at most 720'],
    [{ ...valid, frequencyCap: { maxAttempts: 1.5, periodHours: 1 } }, 'frequencyCap.maxAttempts', 'frequencyCap.maxAttempts must be a whole number, got 1.5'],
    [{ ...valid, idempotencyPeriodSeconds: 86_401 }, 'idempotencyPeriodSeconds', 'idempotencyPeriodSeconds must be at most 86400'],
    [{ ...valid, idempotencyPeriodSeconds: '60' }, 'idempotencyPeriodSeconds', 'idempotencyPeriodSeconds must be a number, not a string'],
    [{ ...valid, phoneNumberValidation: 'loose' }, 'phoneNumberValidation', 'phoneNumberValidation must be one of "strict", "lenient"'],
    [{ idempotencyPeriodSeconds: 1 }, 'frequencyCap', 'frequencyCap is required'],
    [{ ...valid, frequencycap: {} }, 'frequencycap', 'frequencycap is not a known field (did you mean "frequencyCap"? Field names are case-sensitive)'],
  ])('PD1.5 refuses %j naming %s', (body, field, message) => {
    expect(parseTenantSettings(body)).toMatchObject({ ok: false, errors: expect.arrayContaining([{ field, message }]) });
  });
});
