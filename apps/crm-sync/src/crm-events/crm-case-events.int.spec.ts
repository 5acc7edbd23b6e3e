import { Role, signBody } from '@switchboard/auth';
import { CrmCaseEventTypes, eventCatalog, Topics } from '@switchboard/contracts';
import { readOutbox } from '@switchboard/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import manifest from '../../service.json';
import { type CrmSyncTestApp, startCrmSyncTestApp } from '../test-support/crm-sync-test-app';
import { crmCaseEventExample } from './crm-case-events.schema';

const TENANT = 'c3d4e5f6-a7b8-4c9d-8e0f-2a3b4c5d6e7f';
const OTHER_TENANT = 'd4e5f6a7-b8c9-4d0e-9f1a-3b4c5d6e7f80';
const SECRET = 'a-crm-webhook-secret-of-at-least-32-characters';
const OTHER_SECRET = 'another-tenants-webhook-secret-32-characters!';

describe('CRM events in: the signed case-event webhook → crm.case-events.v1 (scenario E2; P1.4, P3.3)', () => {
  let app: CrmSyncTestApp;
  let sequence = 0;

  const post = (body: string, headers: Record<string, string>) => fetch(`${app.url}/crm/case-events`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const signed = (body: string, { tenant = TENANT, secret = SECRET, offsetSec = 0 } = {}) =>
    post(body, { 'x-switchboard-tenant': tenant, 'x-switchboard-signature': signBody(secret, body, Math.floor(Date.now() / 1000) + offsetSec) });
  const caseEvent = (overrides: Record<string, unknown> = {}) => JSON.stringify({ ...crmCaseEventExample, id: `evt-${Date.now()}-${++sequence}`, ...overrides });
  const published = async () => (await readOutbox(app.prisma, manifest.schema)).filter((row) => row.topic === Topics.crmCaseEvents);
  const setSecret = (secret: string, tenantId = TENANT, roles: Role[] = [Role.Administrator]) =>
    app.call('/crm/case-events/secret', { method: 'PUT', tenantId, roles, body: JSON.stringify({ secret }) });
  const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; details?: { field: string }[] } }).error;

  beforeAll(async () => {
    app = await startCrmSyncTestApp({ HTTP_BODY_LIMIT: '64kb' });
    expect((await setSecret(SECRET)).status).toBe(204);
    expect((await setSecret(OTHER_SECRET, OTHER_TENANT)).status).toBe(204);
  }, 60_000);
  afterAll(() => app?.close());
  beforeEach(() => app.prisma.$executeRawUnsafe(`DELETE FROM "${manifest.schema}".outbox_event`));

  it('E2 a signed "case created" is published once on crm.case-events.v1, keyed by case, with case, contact (locale) and owner', async () => {
    const body = caseEvent();
    const answer = await signed(body);
    expect(answer.status).toBe(202);
    const { eventId, duplicate } = (await answer.json()) as { eventId: string; duplicate: boolean };
    expect(duplicate).toBe(false);

    const [row, ...others] = await published();
    expect(others).toHaveLength(0);
    expect(row?.key).toBe('case-4711');
    const event = eventCatalog.parse(Topics.crmCaseEvents, row?.envelope);
    expect(event).toMatchObject({ id: eventId, type: CrmCaseEventTypes.created, tenantid: TENANT, subject: 'case-4711' });
    expect(event.data).toEqual({
      crmEventId: JSON.parse(body).id,
      caseId: 'case-4711',
      caseNumber: 'CAS-01002-P7Q2',
      title: 'Invoice shows a wrong amount',
      status: 'New',
      contact: { id: 'acc_1', phoneNumber: '+14155552671', email: 'dana@example.com', name: 'Dana Reyes', locale: 'en-US' },
      owner: { id: 'u-17', name: 'Kim Lee' },
      occurredAt: '2026-03-02T14:20:00.000Z',
    });
  });

  it('E2 updated and resolved map to their own event types', async () => {
    await signed(caseEvent({ type: 'case.updated', case: { id: 'case-9', status: 'In progress' } }));
    await signed(caseEvent({ type: 'case.resolved', case: { id: 'case-9', status: 'Resolved' } }));
    expect((await published()).map((row) => [row.envelope.type, row.key])).toEqual([
      [CrmCaseEventTypes.updated, 'case-9'],
      [CrmCaseEventTypes.resolved, 'case-9'],
    ]);
  });

  it('P1.4 a resend of the same CRM event id (even re-signed later) is a duplicate: same eventId, nothing published again; ids are per tenant', async () => {
    const body = caseEvent();
    const first = (await (await signed(body)).json()) as { eventId: string };
    const again = await signed(body, { offsetSec: -60 });
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ eventId: first.eventId, duplicate: true });
    expect(await published()).toHaveLength(1);

    const otherTenant = await signed(body, { tenant: OTHER_TENANT, secret: OTHER_SECRET });
    expect(await otherTenant.json()).toMatchObject({ duplicate: false });
    expect(await published()).toHaveLength(2);
  });

  it.each([
    ['no signature', (body: string) => post(body, { 'x-switchboard-tenant': TENANT }), 'InvalidSignature'],
    ['no tenant', (body: string) => post(body, { 'x-switchboard-signature': signBody(SECRET, body, Math.floor(Date.now() / 1000)) }), 'InvalidSignature'],
    ['a forged signature', (body: string) => post(body, { 'x-switchboard-tenant': TENANT, 'x-switchboard-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` }), 'InvalidSignature'],
    ['another tenant’s secret', (body: string) => signed(body, { secret: OTHER_SECRET }), 'InvalidSignature'],
    ['a tenant without a secret', (body: string) => signed(body, { tenant: 'e5f6a7b8-c9d0-4e1f-8a2b-4c5d6e7f8091' }), 'InvalidSignature'],
    ['a body changed after signing', (body: string) => post(body.replace('New', 'Old'), { 'x-switchboard-tenant': TENANT, 'x-switchboard-signature': signBody(SECRET, body, Math.floor(Date.now() / 1000)) }), 'InvalidSignature'],
    ['a replay 10 minutes old', (body: string) => signed(body, { offsetSec: -600 }), 'StaleSignature'],
    ['a timestamp 10 minutes ahead', (body: string) => signed(body, { offsetSec: 600 }), 'StaleSignature'],
  ])('P1.4 %s is 401 %s, nothing published', async (_what, send, code) => {
    const response = await send(caseEvent());
    expect(response.status).toBe(401);
    expect((await errorOf(response)).code).toBe(code);
    expect(await published()).toHaveLength(0);
  });

  it.each([
    ['an unknown type', { type: 'case.deleted' }, 'type'],
    ['a phone number that is not E.164', { contact: { phoneNumber: '0612345678' } }, 'contact.phoneNumber'],
    ['a locale that is not BCP 47', { contact: { locale: 'english please' } }, 'contact.locale'],
    ['a case without status', { case: { id: 'c1' } }, 'case.status'],
    ['an event without id', { id: undefined }, 'id'],
    ['an unknown key', { extra: true }, 'extra'],
    ['a bad instant', { occurredAt: 'yesterday' }, 'occurredAt'],
  ])('P2.1 %s is 400 naming %s, nothing published', async (_what, override, field) => {
    const response = await signed(caseEvent(override));
    expect(response.status).toBe(400);
    expect((await errorOf(response)).details?.map((detail) => detail.field)).toContain(field);
    expect(await published()).toHaveLength(0);
  });

  it('P2.3 an oversized body is 413 and malformed JSON 400, nothing published', async () => {
    expect((await signed(caseEvent({ case: { id: 'c1', status: 'New', title: 'x'.repeat(70_000) } }))).status).toBe(413);
    expect((await signed('{"id": "evt-1", ')).status).toBe(400);
    expect(await published()).toHaveLength(0);
  });

  it('P1.3 P2.4 only administrators set the webhook secret; it must be 32–256 characters', async () => {
    expect((await setSecret(SECRET, TENANT, [Role.OmnichannelSupervisor])).status).toBe(403);
    expect((await setSecret('too-short')).status).toBe(400);
    const row = await app.prisma.crmWebhookSecret.findUniqueOrThrow({ where: { tenantId: TENANT } });
    expect(row.secretSealed).toMatch(/^v1:/);
    expect(row.secretSealed).not.toContain(SECRET);
  });
});
