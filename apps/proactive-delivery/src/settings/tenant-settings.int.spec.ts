import type { Role } from '@switchboard/auth';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, SUPERVISOR, TENANT_A, TENANT_B } from '../test-support/fixtures';
import { type ProactiveTestApp, startProactiveTestApp } from '../test-support/test-app';
import { TenantSettingsService } from './tenant-settings.service';

const PATH = '/proactive/settings';
const DEFAULTS = { DEFAULT_FREQUENCY_CAP_ATTEMPTS: '4', DEFAULT_FREQUENCY_CAP_PERIOD_HOURS: '12', DEFAULT_IDEMPOTENCY_PERIOD_SECONDS: '300' };
const DEFAULT_SETTINGS = { frequencyCap: { maxAttempts: 4, periodHours: 12 }, idempotencyPeriodSeconds: 300, phoneNumberValidation: 'strict' };
const CHANGED = { frequencyCap: { maxAttempts: 2, periodHours: 168 }, idempotencyPeriodSeconds: 0, phoneNumberValidation: 'lenient' };

describe('tenant dialing settings API (frequency cap, PD1.5 idempotency period)', () => {
  let app: ProactiveTestApp;

  beforeAll(async () => {
    app = await startProactiveTestApp({ DISPATCH_POLL_MS: '60000', ...DEFAULTS });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(async () => {
    await app.prisma.tenantDialingSettings.deleteMany({});
  });

  const call = (method: string, init: { body?: unknown; tenantId?: string; roles?: Role[] } = {}) =>
    app.call(PATH, { method, body: init.body === undefined ? undefined : JSON.stringify(init.body), tenantId: init.tenantId ?? TENANT_A, roles: init.roles ?? ADMIN });

  it('PD1.5 GET answers the configured defaults until the tenant sets its own', async () => {
    const response = await call('GET');

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(DEFAULT_SETTINGS);
    expect(await app.app.get(TenantSettingsService).effective(TENANT_A)).toEqual(DEFAULT_SETTINGS);
  });

  it('PD1.5 PUT replaces the settings → 200 with them; GET and effective() agree; other tenants keep the defaults', async () => {
    const put = await call('PUT', { body: CHANGED });

    expect(put.status).toBe(200);
    expect(await put.json()).toEqual(CHANGED);
    expect(await (await call('GET')).json()).toEqual(CHANGED);
    const settings = app.app.get(TenantSettingsService);
    expect(await settings.effective(TENANT_A)).toEqual(CHANGED);
    expect(await app.prisma.$transaction((tx) => settings.effective(TENANT_A, tx))).toEqual(CHANGED);
    expect(await (await call('GET', { tenantId: TENANT_B })).json()).toEqual(DEFAULT_SETTINGS);

    const withoutValidation = await call('PUT', { body: { frequencyCap: { maxAttempts: 7, periodHours: 1 }, idempotencyPeriodSeconds: 86_400 } });
    expect(await withoutValidation.json()).toEqual({ frequencyCap: { maxAttempts: 7, periodHours: 1 }, idempotencyPeriodSeconds: 86_400, phoneNumberValidation: 'strict' });
  });

  it.each([
    ['attempts below 1', { ...CHANGED, frequencyCap: { maxAttempts: 0, periodHours: 24 } }, 'frequencyCap.maxAttempts'],
    ['attempts above 100', { ...CHANGED, frequencyCap: { maxAttempts: 101, periodHours: 24 } }, 'frequencyCap.maxAttempts'],
    ['period above 720 h', { ...CHANGED, frequencyCap: { maxAttempts: 3, periodHours: 721 } }, 'frequencyCap.periodHours'],
    ['period of 0 h', { ...CHANGED, frequencyCap: { maxAttempts: 3, periodHours: 0 } }, 'frequencyCap.periodHours'],
    ['negative idempotency period', { ...CHANGED, idempotencyPeriodSeconds: -1 }, 'idempotencyPeriodSeconds'],
    ['idempotency period above a day', { ...CHANGED, idempotencyPeriodSeconds: 86_401 }, 'idempotencyPeriodSeconds'],
    ['unknown validation mode', { ...CHANGED, phoneNumberValidation: 'off' }, 'phoneNumberValidation'],
    ['unknown field', { ...CHANGED, retries: 3 }, 'retries'],
    ['missing cap', { idempotencyPeriodSeconds: 60 }, 'frequencyCap'],
    ['not an object', [1, 2], '(root)'],
  ])('PD1.5 PUT with %s → 400 naming %s, nothing changed', async (_case, body, field) => {
    await call('PUT', { body: CHANGED });

    const response = await call('PUT', { body });

    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; details: { field: string }[] } };
    expect(error.code).toBe('BadRequest');
    expect(error.details.map((detail) => detail.field)).toContain(field);
    expect(await (await call('GET')).json()).toEqual(CHANGED);
  });

  it('PD1.5 PUT with malformed JSON → 400, nothing changed', async () => {
    const response = await app.call(PATH, { method: 'PUT', body: '{"idempotencyPeriodSeconds": 5', tenantId: TENANT_A, roles: ADMIN });

    expect(response.status).toBe(400);
    expect(await app.prisma.tenantDialingSettings.count()).toBe(0);
  });

  it('PD1.5 settings are for administrators only (403) and need a token (401)', async () => {
    expect((await call('GET', { roles: SUPERVISOR })).status).toBe(403);
    expect((await call('PUT', { body: CHANGED, roles: SUPERVISOR })).status).toBe(403);
    expect((await fetch(`${app.url}${PATH}`)).status).toBe(401);
    expect((await fetch(`${app.url}${PATH}`, { method: 'PUT', body: JSON.stringify(CHANGED), headers: { 'content-type': 'application/json' } })).status).toBe(401);
    expect(await app.prisma.tenantDialingSettings.count()).toBe(0);
  });
});
