import { MessagingConsentEventTypes, Topics } from '@switchboard/contracts';
import { OutboxPublisher } from '@switchboard/messaging';
import { eventually } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, TENANT_A, TENANT_B } from '../test-support/fixtures';
import { type ProactiveTestApp, startProactiveTestApp } from '../test-support/test-app';
import { CONSENT_SOURCE } from './do-not-call.repository';

type ConsentType = (typeof MessagingConsentEventTypes)[keyof typeof MessagingConsentEventTypes];

/**
 * One consent across channels (issue: outbound-messaging, "beyond the anchors"): outbound-messaging's
 * messaging.consent.v1 events, through the outbox relay and Kafka, into proactive-delivery's do-not-call list.
 */
describe('SMS opt-outs reach the do-not-call list (messaging.consent.v1 → PD3.1)', () => {
  let app: ProactiveTestApp;

  beforeAll(async () => {
    app = await startProactiveTestApp({ DISPATCH_POLL_MS: '60000' });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  /** Publishes consent changes the way outbound-messaging does (keyed by number), in order, in one transaction. */
  async function publish(changes: { type: ConsentType; phoneNumber: string; keyword: string; at: string; tenantId?: string; id?: string }[]): Promise<string[]> {
    const publisher = app.app.get(OutboxPublisher);
    const entries = changes.map(({ type, phoneNumber, keyword, at, tenantId = TENANT_A, id }) => ({
      topic: Topics.messagingConsent,
      key: phoneNumber,
      event: { ...publisher.event({ type, subject: phoneNumber, tenantId, data: { phoneNumber, channel: 'sms' as const, keyword, inboundMessageId: randomUUID(), occurredAt: at } }), ...(id && { id }) },
    }));
    await app.prisma.transaction((tx) => publisher.enqueue(tx, entries));
    return entries.map((entry) => entry.event.id);
  }
  const entry = (phoneNumber: string, tenantId = TENANT_A) => app.prisma.doNotCallEntry.findUnique({ where: { tenantId_phoneNumber: { tenantId, phoneNumber } } });
  /** Waits until the consumer has committed every one of these events (their inbox rows). */
  const consumed = (ids: string[]) =>
    eventually(async () => {
      const rows = await app.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM proactive_delivery.inbox_event WHERE event_id = ANY($1::text[])`, ids);
      return rows[0]?.n === ids.length ? true : undefined;
    }, `${ids.length} consent events in the inbox`);

  it('a STOP lists the number for that tenant only, with the reason, as the do-not-call API shows it (creation and dispatch check that list)', async () => {
    const ids = await publish([{ type: MessagingConsentEventTypes.withdrawn, phoneNumber: '+12125550301', keyword: 'STOP', at: '2026-12-03T08:00:00.000Z' }]);
    await consumed(ids);

    expect(await entry('+12125550301')).toMatchObject({ reason: 'The customer opted out by SMS keyword STOP', expiresAt: null, source: CONSENT_SOURCE });
    expect(await entry('+12125550301', TENANT_B)).toBeNull();
    const listed = await app.call(`/proactive/do-not-call/${encodeURIComponent('+12125550301')}`, { tenantId: TENANT_A, roles: ADMIN });
    expect(listed.status).toBe(200);
  });

  it('a START removes the listing its opt-out made; an older START replayed after a newer STOP removes nothing', async () => {
    const ids = await publish([
      { type: MessagingConsentEventTypes.withdrawn, phoneNumber: '+12125550302', keyword: 'ARRET', at: '2026-12-03T08:00:00.000Z' },
      { type: MessagingConsentEventTypes.granted, phoneNumber: '+12125550302', keyword: 'START', at: '2026-12-03T08:05:00.000Z' },
      { type: MessagingConsentEventTypes.withdrawn, phoneNumber: '+12125550303', keyword: 'STOP', at: '2026-12-03T09:00:00.000Z' },
      { type: MessagingConsentEventTypes.granted, phoneNumber: '+12125550303', keyword: 'START', at: '2026-12-03T08:30:00.000Z' },
    ]);
    await consumed(ids);

    expect(await entry('+12125550302')).toBeNull();
    expect(await entry('+12125550303')).toMatchObject({ source: CONSENT_SOURCE });
  });

  it("an administrator's permanent entry is neither replaced by a STOP nor removed by a START; a time-limited one becomes the customer's", async () => {
    const add = (body: object) => app.call('/proactive/do-not-call', { method: 'POST', tenantId: TENANT_A, roles: ADMIN, body: JSON.stringify(body) });
    expect((await add({ phoneNumber: '+12125550304', reason: 'complaint' })).status).toBe(201);
    expect((await add({ phoneNumber: '+12125550305', reason: 'callback later', expiresAt: '2027-01-01T00:00:00.000Z' })).status).toBe(201);

    await consumed(
      await publish([
        { type: MessagingConsentEventTypes.withdrawn, phoneNumber: '+12125550304', keyword: 'STOP', at: '2026-12-03T10:00:00.000Z' },
        { type: MessagingConsentEventTypes.granted, phoneNumber: '+12125550304', keyword: 'START', at: '2026-12-03T10:01:00.000Z' },
        { type: MessagingConsentEventTypes.withdrawn, phoneNumber: '+12125550305', keyword: 'STOP', at: '2026-12-03T10:00:00.000Z' },
      ]),
    );

    expect(await entry('+12125550304')).toMatchObject({ reason: 'complaint', source: null });
    expect(await entry('+12125550305')).toMatchObject({ reason: 'The customer opted out by SMS keyword STOP', expiresAt: null, source: CONSENT_SOURCE });
  });

  it('a redelivered STOP changes nothing twice (inbox), even after the administrator removed the entry', async () => {
    const id = randomUUID();
    await consumed(await publish([{ type: MessagingConsentEventTypes.withdrawn, phoneNumber: '+12125550306', keyword: 'STOP', at: '2026-12-03T11:00:00.000Z', id }]));
    expect((await app.call(`/proactive/do-not-call/${encodeURIComponent('+12125550306')}`, { method: 'DELETE', tenantId: TENANT_A, roles: ADMIN })).status).toBe(204);

    const marker = await publish([{ type: MessagingConsentEventTypes.withdrawn, phoneNumber: '+12125550306', keyword: 'STOP', at: '2026-12-03T11:00:00.000Z', id }, { type: MessagingConsentEventTypes.withdrawn, phoneNumber: '+12125550307', keyword: 'STOP', at: '2026-12-03T11:00:00.000Z' }]);
    await consumed(marker.slice(1));

    expect(await entry('+12125550306')).toBeNull();
  });
});
