import type { Role } from '@switchboard/auth';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, putSettings, SUPERVISOR, TENANT_A, TENANT_B } from '../test-support/fixtures';
import { type ProactiveTestApp, startProactiveTestApp } from '../test-support/test-app';
import { DoNotCallService, type DoNotCallEntryView } from './do-not-call.service';

const BASE = '/proactive/do-not-call';
const HOUR = 3_600_000;

interface ErrorBody {
  error: { code: string; message: string; details?: { field: string; message: string }[] };
}

/** `count` distinct numbers valid in the US plan: area code × 555 × line number. */
function usNumbers(count: number, areaCodes = ['212', '213', '312', '415', '646']): string[] {
  return Array.from({ length: count }, (_, index) => `+1${areaCodes[Math.floor(index / 10_000)]}555${String(index % 10_000).padStart(4, '0')}`);
}

describe('do-not-call list API (PD3.1)', () => {
  let app: ProactiveTestApp;
  let doNotCall: DoNotCallService;

  beforeAll(async () => {
    app = await startProactiveTestApp({ DISPATCH_POLL_MS: '60000' });
    doNotCall = app.app.get(DoNotCallService);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(async () => {
    await app.prisma.doNotCallEntry.deleteMany({});
    await app.prisma.tenantDialingSettings.deleteMany({});
  });

  const call = (path: string, init: { method?: string; body?: string; tenantId?: string; roles?: Role[]; headers?: Record<string, string> } = {}) =>
    app.call(`${BASE}${path}`, { method: init.method ?? 'GET', body: init.body, headers: init.headers, tenantId: init.tenantId ?? TENANT_A, roles: init.roles ?? ADMIN });
  const add = (body: object, tenantId = TENANT_A) => call('', { method: 'POST', body: JSON.stringify(body), tenantId });
  const importCsv = (csv: string, tenantId = TENANT_A) => call('/import', { method: 'POST', body: csv, tenantId, headers: { 'content-type': 'text/csv' } });
  const entryCount = (tenantId = TENANT_A) => app.prisma.doNotCallEntry.count({ where: { tenantId } });
  const errorOf = async (response: Response) => (await response.json()) as ErrorBody;

  describe('add, read, list, remove', () => {
    it('PD3.1 POST stores the number in E.164 → 201; adding it again replaces reason and expiry → 200', async () => {
      const expiresAt = new Date(Date.now() + 48 * HOUR).toISOString();
      const created = await add({ phoneNumber: '+1 (212) 555-0123', reason: 'asked not to be called', expiresAt });

      expect(created.status).toBe(201);
      const entry = (await created.json()) as DoNotCallEntryView;
      expect(entry).toMatchObject({ phoneNumber: '+12125550123', reason: 'asked not to be called', expiresAt, expired: false });

      const replaced = await add({ phoneNumber: '+12125550123' });
      expect(replaced.status).toBe(200);
      expect(await replaced.json()).toEqual({ phoneNumber: '+12125550123', reason: null, expiresAt: null, createdAt: entry.createdAt, expired: false });
      expect(await entryCount()).toBe(1);
    });

    it('PD3.1 GET by URL-encoded E.164 or any parseable form; DELETE → 204, then 404', async () => {
      await add({ phoneNumber: '+12125550123', reason: 'complaint' });

      const byE164 = await call(`/${encodeURIComponent('+12125550123')}`);
      expect(byE164.status).toBe(200);
      expect(await byE164.json()).toMatchObject({ phoneNumber: '+12125550123', reason: 'complaint' });
      expect((await call(`/${encodeURIComponent('+1 212-555-0123')}`)).status).toBe(200);

      expect((await call('/%2B12125550123', { method: 'DELETE' })).status).toBe(204);
      expect(await entryCount()).toBe(0);
      const gone = await call('/%2B12125550123');
      expect(gone.status).toBe(404);
      expect(await errorOf(gone)).toEqual({ error: { code: 'DoNotCallEntryNotFound', message: '+12125550123 is not on the do-not-call list' } });
      expect((await call('/%2B12125550123', { method: 'DELETE' })).status).toBe(404);
    });

    it('PD3.1 bad input → 400 naming the field, nothing stored', async () => {
      const badNumber = await add({ phoneNumber: '2125550123' });
      expect(badNumber.status).toBe(400);
      expect((await errorOf(badNumber)).error.details).toEqual([
        { field: 'phoneNumber', message: expect.stringMatching(/^phoneNumber must be in international format/) },
      ]);

      const pastExpiry = await add({ phoneNumber: '+12125550123', expiresAt: '2020-01-01T00:00:00Z' });
      expect(pastExpiry.status).toBe(400);
      expect((await errorOf(pastExpiry)).error.details).toEqual([{ field: 'expiresAt', message: expect.stringMatching(/^expiresAt must be in the future/) }]);

      const notIso = await add({ phoneNumber: '+12125550123', expiresAt: 'next week' });
      expect((await errorOf(notIso)).error.details?.[0]?.field).toBe('expiresAt');

      const badPath = await call('/not-a-number');
      expect(badPath.status).toBe(400);
      expect((await errorOf(badPath)).error.details?.[0]?.field).toBe('phoneNumber');
      expect(await entryCount()).toBe(0);
    });

    it('PD3.1 lists in phone-number order, keyset-paginated with an opaque cursor', async () => {
      const numbers = ['+14155550105', '+12125550101', '+13125550103', '+12135550102', '+16465550104'];
      for (const phoneNumber of numbers) expect((await add({ phoneNumber })).status).toBe(201);

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const response = await call(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(response.status).toBe(200);
        const page = (await response.json()) as { items: DoNotCallEntryView[]; nextCursor: string | null };
        seen.push(...page.items.map((item) => item.phoneNumber));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);

      expect(pages).toBe(3);
      expect(seen).toEqual([...numbers].sort());
      const badCursor = await call('?cursor=%2B12125550101');
      expect(badCursor.status).toBe(400);
      expect((await errorOf(badCursor)).error.details?.[0]?.field).toBe('cursor');
    });
  });

  describe('expiry', () => {
    beforeEach(async () => {
      const past = new Date(Date.now() - HOUR);
      await app.prisma.doNotCallEntry.createMany({
        data: [
          { tenantId: TENANT_A, phoneNumber: '+12125550111', reason: 'lapsed', expiresAt: past, createdAt: new Date(Date.now() - 48 * HOUR) },
          { tenantId: TENANT_A, phoneNumber: '+12125550122', reason: 'still valid', expiresAt: new Date(Date.now() + HOUR) },
          { tenantId: TENANT_A, phoneNumber: '+12125550133', reason: 'forever', expiresAt: null },
        ],
      });
    });

    it('PD3.1 an expired entry is hidden from GET and list unless includeExpired=true', async () => {
      const hidden = await call('/%2B12125550111');
      expect(hidden.status).toBe(404);
      expect((await errorOf(hidden)).error.message).toMatch(/^\+12125550111 is not on the do-not-call list: its entry expired at /);

      const shown = await call('/%2B12125550111?includeExpired=true');
      expect(shown.status).toBe(200);
      expect(await shown.json()).toMatchObject({ phoneNumber: '+12125550111', expired: true });

      const active = (await (await call('')).json()) as { items: DoNotCallEntryView[] };
      expect(active.items.map((item) => item.phoneNumber)).toEqual(['+12125550122', '+12125550133']);
      const all = (await (await call('?includeExpired=true')).json()) as { items: DoNotCallEntryView[] };
      expect(all.items.map((item) => [item.phoneNumber, item.expired])).toEqual([
        ['+12125550111', true],
        ['+12125550122', false],
        ['+12125550133', false],
      ]);
    });

    it('PD3.1 isListed counts only unexpired entries, at the instant asked, through the client or a transaction', async () => {
      const now = new Date();
      expect(await doNotCall.isListed(app.prisma, TENANT_A, '+12125550111', now)).toBe(false);
      expect(await doNotCall.isListed(app.prisma, TENANT_A, '+12125550111', new Date(now.getTime() - 2 * HOUR))).toBe(true);
      expect(await doNotCall.isListed(app.prisma, TENANT_A, '+12125550122', now)).toBe(true);
      expect(await doNotCall.isListed(app.prisma, TENANT_A, '+12125550122', new Date(now.getTime() + 2 * HOUR))).toBe(false);
      expect(await doNotCall.isListed(app.prisma, TENANT_A, '+12125550133', new Date('2100-01-01T00:00:00Z'))).toBe(true);
      expect(await doNotCall.isListed(app.prisma, TENANT_B, '+12125550133', now)).toBe(false);
      expect(await app.prisma.$transaction((tx) => doNotCall.isListed(tx, TENANT_A, '+12125550133', now))).toBe(true);
    });

    it('PD3.1 adding a number whose entry expired lists it anew → 201 with a fresh createdAt; DELETE removes expired entries too', async () => {
      const before = Date.now();
      const relisted = await add({ phoneNumber: '+12125550111', reason: 'asked again' });
      expect(relisted.status).toBe(201);
      const entry = (await relisted.json()) as DoNotCallEntryView;
      expect(entry).toMatchObject({ reason: 'asked again', expiresAt: null, expired: false });
      expect(new Date(entry.createdAt).getTime()).toBeGreaterThanOrEqual(before - 1_000);

      await app.prisma.doNotCallEntry.update({ where: { tenantId_phoneNumber: { tenantId: TENANT_A, phoneNumber: '+12125550111' } }, data: { expiresAt: new Date(before - HOUR) } });
      expect((await call('/%2B12125550111', { method: 'DELETE' })).status).toBe(204);
      expect(await entryCount()).toBe(2);
    });
  });

  describe('tenants and roles (P1.1, P1.3)', () => {
    it("PD3.1 tenant B cannot see, list or remove tenant A's entries (404), and keeps its own list", async () => {
      await add({ phoneNumber: '+12125550123', reason: 'A only' });

      expect((await call('/%2B12125550123', { tenantId: TENANT_B })).status).toBe(404);
      expect((await call('/%2B12125550123', { method: 'DELETE', tenantId: TENANT_B })).status).toBe(404);
      expect(await (await call('', { tenantId: TENANT_B })).json()).toEqual({ items: [], nextCursor: null });

      expect((await add({ phoneNumber: '+12125550123', reason: 'B too' }, TENANT_B)).status).toBe(201);
      expect((await importCsv('phoneNumber,reason\n+12125550123,B again\n', TENANT_B)).status).toBe(200);
      expect(await (await call('/%2B12125550123')).json()).toMatchObject({ reason: 'A only' });
      expect(await doNotCall.isListed(app.prisma, TENANT_A, '+12125550123', new Date())).toBe(true);
    });

    it('PD3.1 every route is for administrators only (403) and needs a token (401)', async () => {
      const routes: [string, string, string?][] = [
        ['POST', '', JSON.stringify({ phoneNumber: '+12125550123' })],
        ['POST', '/import', JSON.stringify({ entries: [{ phoneNumber: '+12125550123' }] })],
        ['GET', ''],
        ['GET', '/%2B12125550123'],
        ['DELETE', '/%2B12125550123'],
      ];
      for (const [method, path, body] of routes) {
        const forbidden = await call(path, { method, body, roles: SUPERVISOR });
        expect(forbidden.status, `${method} ${path} as supervisor`).toBe(403);
        const anonymous = await fetch(`${app.url}${BASE}${path}`, { method, body, headers: { 'content-type': 'application/json' } });
        expect(anonymous.status, `${method} ${path} without a token`).toBe(401);
      }
      expect(await entryCount()).toBe(0);
    });
  });

  describe('bulk import', () => {
    it('PD3.1 a 2 000-row CSV is stored in one go → 200 {imported, updated}; re-importing counts replacements', async () => {
      await add({ phoneNumber: '+12125550000', reason: 'added by hand' });
      const numbers = usNumbers(2_000);
      const csv = ['phoneNumber,reason,expiresAt', ...numbers.map((phoneNumber, index) => `${phoneNumber},batch ${index},`)].join('\n');

      const first = await importCsv(csv);
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({ imported: 1_999, updated: 1 });
      expect(await entryCount()).toBe(2_000);
      expect(await (await call('/%2B12125550000')).json()).toMatchObject({ reason: 'batch 0' });

      const overlap = ['phoneNumber', ...numbers.slice(1_500), ...usNumbers(500, ['718'])].join('\n');
      const second = await importCsv(overlap);
      expect(await second.json()).toEqual({ imported: 500, updated: 500 });
      expect(await entryCount()).toBe(2_500);
    });

    it('PD3.1 a CSV with one bad row stores NOTHING and names the row → 400', async () => {
      await add({ phoneNumber: '+12125550000', reason: 'before the import' });
      const rows = usNumbers(300).map((phoneNumber) => `${phoneNumber},replaced`);
      rows[5] = '+1 555 not a number,oops';

      const response = await importCsv(['phoneNumber,reason', ...rows].join('\n'));

      expect(response.status).toBe(400);
      const { error } = await errorOf(response);
      expect(error.code).toBe('BadRequest');
      expect(error.message).toMatch(/^Nothing was imported: 1 problem found\. row 7: phoneNumber /);
      expect(error.details).toEqual([{ field: 'row 7.phoneNumber', message: expect.stringMatching(/^row 7: phoneNumber /) }]);
      expect(await entryCount()).toBe(1);
      expect(await (await call('/%2B12125550000')).json()).toMatchObject({ reason: 'before the import' });
    });

    it('PD3.1 lists at most 100 row problems, and counts them all', async () => {
      const rows = Array.from({ length: 150 }, (_, index) => `bad-${index}`);

      const response = await importCsv(['phoneNumber', ...rows].join('\n'));

      expect(response.status).toBe(400);
      const { error } = await errorOf(response);
      expect(error.details).toHaveLength(100);
      expect(error.details?.[99]?.field).toBe('row 101.phoneNumber');
      expect(error.message).toMatch(/^Nothing was imported: 150 problems found \(details lists the first 100\)\./);
    });

    it('PD3.1 the JSON form {entries} imports the same way, and refuses the same way', async () => {
      const ok = await call('/import', { method: 'POST', body: JSON.stringify({ entries: [{ phoneNumber: '+12125550123', reason: 'json' }, { phoneNumber: '+442079460958' }] }) });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ imported: 2, updated: 0 });

      const bad = await call('/import', { method: 'POST', body: JSON.stringify({ entries: [{ phoneNumber: '+13125550123' }, { phoneNumber: '+1' }] }) });
      expect(bad.status).toBe(400);
      expect((await errorOf(bad)).error.details?.map((detail) => detail.field)).toEqual(['entries[1].phoneNumber']);
      expect(await entryCount()).toBe(2);
    });

    it('PD3.1 a CSV over 5 MB → 413, nothing stored', async () => {
      const row = '+12125550123,' + 'x'.repeat(100);
      const csv = ['phoneNumber,reason', ...Array.from({ length: 55_000 }, () => row)].join('\n');
      expect(csv.length).toBeGreaterThan(5 * 1024 * 1024);

      const response = await importCsv(csv);

      expect(response.status).toBe(413);
      expect(await errorOf(response)).toEqual({
        error: { code: 'PayloadTooLarge', message: 'The CSV is larger than the 5MB an import may be; split it into several imports' },
      });
      expect(await entryCount()).toBe(0);
    });

    it("PD3.1 the JSON form stays within the service's HTTP_BODY_LIMIT (256 kB) → 413 beyond it; an unknown charset → 415", async () => {
      const entries = usNumbers(6_000).map((phoneNumber) => ({ phoneNumber, reason: 'customer request' }));
      const tooLarge = await call('/import', { method: 'POST', body: JSON.stringify({ entries }) });
      expect(tooLarge.status).toBe(413);

      const oddCharset = await call('/import', { method: 'POST', body: 'phoneNumber\n+12125550123\n', headers: { 'content-type': 'text/csv; charset=klingon' } });
      expect(oddCharset.status).toBe(415);
      expect(await entryCount()).toBe(0);
    });

    it('PD3.1 the largest import, 50 000 rows (~2.5 MB, over the service-wide body limit), fits the route limit', async () => {
      const expiresAt = new Date(Date.now() + 24 * HOUR).toISOString();
      const csv = ['phoneNumber,reason,expiresAt', ...usNumbers(50_000).map((phoneNumber) => `${phoneNumber},customer request,${expiresAt}`)].join('\n');
      expect(csv.length).toBeGreaterThan(2 * 1024 * 1024);

      const response = await importCsv(csv);

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ imported: 50_000, updated: 0 });
      expect(await entryCount()).toBe(50_000);
    }, 60_000);

    it('PD3.1 any other content type → 415, nothing stored', async () => {
      const response = await call('/import', { method: 'POST', body: 'phoneNumber\n+12125550123\n', headers: { 'content-type': 'text/plain' } });

      expect(response.status).toBe(415);
      expect((await errorOf(response)).error.message).toMatch(/^Send the list as text\/csv .* got text\/plain$/);
      expect(await entryCount()).toBe(0);
    });

    it('PD3.1 (PD1.2) a tenant with lenient number validation may list numbers no plan knows', async () => {
      expect((await add({ phoneNumber: '+123456798' })).status).toBe(400);
      await putSettings(app, TENANT_A, { frequencyCap: { maxAttempts: 3, periodHours: 24 }, idempotencyPeriodSeconds: 600, phoneNumberValidation: 'lenient' });
      try {
        expect((await add({ phoneNumber: '+123456798' })).status).toBe(201);
        expect((await importCsv('phoneNumber\n+123456799\n')).status).toBe(200);
        expect(await doNotCall.isListed(app.prisma, TENANT_A, '+123456798', new Date())).toBe(true);
      } finally {
        // Back to the defaults (no row), as beforeEach leaves every other test.
        await app.prisma.tenantDialingSettings.deleteMany({});
      }
    });
  });
});
