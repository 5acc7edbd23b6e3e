import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '@switchboard/auth';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Clock } from '@switchboard/clock';
import { ADMIN, createConfiguration, CREATE_PATH, putSettings, SUPERVISOR, TENANT_A, TENANT_B } from '../test-support/fixtures';
import { ProactiveTestApp, startProactiveTestApp } from '../test-support/test-app';

const seedSample1 = readFileSync(join(__dirname, 'fixtures', 'seed-sample-1.json'), 'utf8');
const seedSample2 = readFileSync(join(__dirname, 'fixtures', 'seed-sample-2.txt'), 'utf8');
const SEED_CONFIG_ID = 'cbbac510-3e66-ef11-a671-6045bd03d9d8';
const CONTACT = '761e062f-c734-ef11-8e4f-00224808a166';
/** The service's defaults; tests that change the tenant's settings put these back in `finally`. */
const DEFAULT_SETTINGS = { frequencyCap: { maxAttempts: 3, periodHours: 24 }, idempotencyPeriodSeconds: 600, phoneNumberValidation: 'strict' };

describe('CCaaS_CreateProactiveVoiceDelivery (PD1) and read / list / cancel (PD4.5)', () => {
  let app: ProactiveTestApp;
  let configId: string;

  beforeAll(async () => {
    // The dispatcher stays idle here: these tests are about the API, not dialing.
    app = await startProactiveTestApp({ DISPATCH_POLL_MS: '60000' });
    configId = await createConfiguration(app, TENANT_A);
    // The seed's configuration id, so its samples can be sent verbatim.
    await app.prisma.engagementConfiguration.update({ where: { id: configId }, data: { id: SEED_CONFIG_ID } });
    configId = SEED_CONFIG_ID;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  const create = (body: string | object, init: { tenantId?: string; roles?: Role[]; headers?: Record<string, string> } = {}) =>
    app.call(CREATE_PATH, {
      method: 'POST',
      tenantId: init.tenantId ?? TENANT_A,
      roles: init.roles ?? SUPERVISOR,
      headers: init.headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  const request = (overrides: Record<string, unknown> = {}) => ({
    ApiVersion: '1.0',
    ProactiveEngagementConfigId: configId,
    DestinationPhoneNumber: '+12125550123',
    ContactId: CONTACT,
    ...overrides,
  });

  const standAt = (iso: string) => vi.spyOn(app.app.get(Clock), 'now').mockReturnValue(new Date(iso));
  const deliveryCount = () => app.prisma.delivery.count();

  it("PD1.2/PD1.3 the seed's first sample succeeds verbatim (tenant opted into lenient number validation)", async () => {
    await putSettings(app, TENANT_A, { ...DEFAULT_SETTINGS, phoneNumberValidation: 'lenient' });
    try {
      standAt('2024-09-10T12:00:00.000Z');
      const response = await create(seedSample1);
      expect(response.status).toBe(200);
      const body = (await response.json()) as Record<string, string>;
      expect(body['@odata.context']).toMatch(/\/api\/data\/v9\.2\/\$metadata#Microsoft\.Dynamics\.CRM\.CCaaS_CreateProactiveVoiceDeliveryResponse$/);
      expect(body['DeliveryId']).toMatch(/^[0-9a-f-]{36}$/);
      const stored = await app.prisma.delivery.findUniqueOrThrow({ where: { id: body['DeliveryId'] } });
      expect(stored).toMatchObject({ tenantId: TENANT_A, phoneNumber: '+123456798', contactId: CONTACT, status: 'Scheduled' });
      expect(stored.nextAttemptAt?.toISOString()).toBe('2024-09-10T13:00:00.000Z');
      expect(stored.inputAttributes).toEqual({ orderNumber: 'ORD123456789', type: 'callback', isFinalAttempt: 'false' });
    } finally {
      await putSettings(app, TENANT_A, DEFAULT_SETTINGS);
    }
  });

  it('PD1.2 under strict validation (the default) the seed number is refused, naming the field', async () => {
    standAt('2024-09-10T12:00:00.000Z');
    const before = await deliveryCount();
    const response = await create(seedSample1);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; details: { field: string; message: string }[] } };
    expect(error.details).toEqual([expect.objectContaining({ field: 'DestinationPhoneNumber', message: expect.stringMatching(/not a valid number for any country plan/) })]);
    expect(await deliveryCount()).toBe(before);
  });

  it("PD1.4 the seed's second sample (missing comma) gets a 400 naming where the JSON breaks", async () => {
    const response = await create(seedSample2);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: 'BadRequest', message: expect.stringMatching(/^Malformed JSON at line 18, column 1/) } });
  });

  it('PD1.2 without Windows the delivery gets one window from now to now + 24 h and is due at once (PD4.1)', async () => {
    const now = new Date();
    const response = await create(request({ ContactId: '11111111-2222-4333-8444-555555555555' }));
    expect(response.status).toBe(200);
    const { DeliveryId } = (await response.json()) as { DeliveryId: string };
    const view = (await (await app.call(`/proactive/deliveries/${DeliveryId}`, { method: 'GET', tenantId: TENANT_A, roles: SUPERVISOR })).json()) as { Windows: { Start: string; End: string }[]; Status: string };
    const [window] = view.Windows;
    expect(Math.abs(Date.parse(window?.Start ?? '') - now.getTime())).toBeLessThan(10_000);
    expect(Date.parse(window?.End ?? '') - Date.parse(window?.Start ?? '')).toBe(24 * 3_600_000);
  });

  it('PD1.5 an Idempotency-Key returns the first DeliveryId; reusing it for another request is refused', async () => {
    const headers = { 'idempotency-key': `key-${Date.now()}` };
    const first = (await (await create(request({ ContactId: '21111111-2222-4333-8444-555555555555' }), { headers })).json()) as { DeliveryId: string };
    const again = await create(request({ ContactId: '21111111-2222-4333-8444-555555555555' }), { headers });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { DeliveryId: string }).DeliveryId).toBe(first.DeliveryId);
    const other = await create(request({ ContactId: '31111111-2222-4333-8444-555555555555' }), { headers });
    expect(other.status).toBe(422);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('IdempotencyKeyReused');
  });

  it('PD1.5 a repeated identical request within the period returns the same DeliveryId; after it, a new one', async () => {
    const body = request({ ContactId: '41111111-2222-4333-8444-555555555555', InputAttributes: { type: 'callback' } });
    const first = (await (await create(body)).json()) as { DeliveryId: string };
    const second = (await (await create(body)).json()) as { DeliveryId: string };
    expect(second.DeliveryId).toBe(first.DeliveryId);
    // A period of 0 seconds stands for "the period is over".
    await putSettings(app, TENANT_A, { ...DEFAULT_SETTINGS, idempotencyPeriodSeconds: 0 });
    try {
      const third = (await (await create(body)).json()) as { DeliveryId: string };
      expect(third.DeliveryId).not.toBe(first.DeliveryId);
    } finally {
      await putSettings(app, TENANT_A, DEFAULT_SETTINGS);
    }
  });

  it('PD1.5 concurrent identical requests, with or without an Idempotency-Key, create one delivery', async () => {
    const body = request({ ContactId: '71111111-2222-4333-8444-555555555555' });
    const twins = await Promise.all(Array.from({ length: 8 }, () => create(body)));
    const headers = { 'idempotency-key': `race-${Date.now()}` };
    const keyed = await Promise.all(Array.from({ length: 8 }, () => create(request({ ContactId: '81111111-2222-4333-8444-555555555555' }), { headers })));
    for (const batch of [twins, keyed]) {
      expect(batch.map((r) => r.status)).toEqual(Array(8).fill(200));
      const ids = new Set(await Promise.all(batch.map(async (r) => ((await r.json()) as { DeliveryId: string }).DeliveryId)));
      expect(ids.size).toBe(1);
    }
  });

  it("PD1.2/P1.1 another tenant's configuration id answers 404 and stores nothing", async () => {
    const before = await deliveryCount();
    const response = await create(request(), { tenantId: TENANT_B });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('ConfigurationNotFound');
    expect(await deliveryCount()).toBe(before);
  });

  it('PD3.1 a number on the do-not-call list is refused and nothing is stored', async () => {
    const added = await app.call('/proactive/do-not-call', { method: 'POST', tenantId: TENANT_A, roles: ADMIN, body: JSON.stringify({ phoneNumber: '+1 212 555 0199' }) });
    expect(added.status).toBeLessThan(300);
    const before = await deliveryCount();
    const response = await create(request({ DestinationPhoneNumber: '+12125550199' }));
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'NumberOnDoNotCallList', message: expect.stringContaining('+12125550199') });
    expect(await deliveryCount()).toBe(before);
  });

  it('PD3.2 windows that miss the contact hours are refused at creation with the reason', async () => {
    const nightOnly = await createConfiguration(app, TENANT_A, { timeZone: 'America/New_York', contactHours: { mon: [{ start: '09:00', end: '17:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } });
    standAt('2026-03-02T12:00:00.000Z');
    const before = await deliveryCount();
    // Tuesday 14:00–16:00 New York: no contact hours on Tuesdays.
    const response = await create(request({ ProactiveEngagementConfigId: nightOnly, Windows: [{ Start: '2026-03-03T19:00:00.000Z', End: '2026-03-03T21:00:00.000Z' }] }));
    expect(response.status).toBe(422);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('NoPermittedContactTime');
    expect(error.message.length).toBeGreaterThan(20);
    expect(await deliveryCount()).toBe(before);
  });

  it('P1.3 only agents and supervisors create; a missing token is 401', async () => {
    expect((await create(request(), { roles: ADMIN })).status).toBe(403);
    const anonymous = await fetch(`${app.url}${CREATE_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request()) });
    expect(anonymous.status).toBe(401);
  });

  it('PD4.5 reads a delivery with its attempts, lists by contact and status, and cancels it once', async () => {
    const contact = '51111111-2222-4333-8444-555555555555';
    const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const created = await create(request({ ContactId: contact, Windows: [{ Start: `${day}T14:00:00.000Z`, End: `${day}T20:00:00.000Z` }] }));
    expect(created.status).toBe(200);
    const { DeliveryId } = (await created.json()) as { DeliveryId: string };
    const get = (tenantId: string) => app.call(`/proactive/deliveries/${DeliveryId}`, { method: 'GET', tenantId, roles: SUPERVISOR });
    const view = (await (await get(TENANT_A)).json()) as { Status: string; AttemptsLog: unknown[]; DestinationPhoneNumber: string };
    expect(view).toMatchObject({ Status: 'Scheduled', AttemptsLog: [], DestinationPhoneNumber: '+12125550123' });
    expect((await get(TENANT_B)).status).toBe(404);

    const listed = (await (await app.call(`/proactive/deliveries?contactId=${contact}&status=Scheduled`, { method: 'GET', tenantId: TENANT_A, roles: SUPERVISOR })).json()) as { items: { DeliveryId: string }[] };
    expect(listed.items.map((d) => d.DeliveryId)).toEqual([DeliveryId]);
    const otherTenant = (await (await app.call(`/proactive/deliveries?contactId=${contact}`, { method: 'GET', tenantId: TENANT_B, roles: SUPERVISOR })).json()) as { items: unknown[] };
    expect(otherTenant.items).toEqual([]);

    const cancel = () => app.call(`/proactive/deliveries/${DeliveryId}/cancel`, { method: 'POST', tenantId: TENANT_A, roles: SUPERVISOR });
    expect((await app.call(`/proactive/deliveries/${DeliveryId}/cancel`, { method: 'POST', tenantId: TENANT_B, roles: SUPERVISOR })).status).toBe(404);
    const cancelled = await cancel();
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as { Status: string }).Status).toBe('Cancelled');
    expect((await cancel()).status).toBe(409);
    const events = await app.outbox({ key: DeliveryId });
    expect(events.map((e) => e.envelope.type).at(-1)).toBe('switchboard.proactive.DeliveryCancelled');
  });

  it('PD4.6 writes DeliveryRequested and DeliveryScheduled to the outbox with the delivery', async () => {
    const { DeliveryId } = (await (await create(request({ ContactId: '61111111-2222-4333-8444-555555555555' }))).json()) as { DeliveryId: string };
    const rows = await app.outbox({ key: DeliveryId });
    expect(rows.map((r) => r.envelope.type)).toEqual(['switchboard.proactive.DeliveryRequested', 'switchboard.proactive.DeliveryScheduled']);
    expect(rows.every((r) => r.topic === 'proactive.delivery.v1')).toBe(true);
  });
});
