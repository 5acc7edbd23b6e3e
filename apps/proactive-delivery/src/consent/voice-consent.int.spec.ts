import { MessagingConsentEventTypes, Topics, VoiceConsentEventTypes } from '@switchboard/contracts';
import { OutboxPublisher } from '@switchboard/messaging';
import { eventually } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, TENANT_A } from '../test-support/fixtures';
import { type ProactiveTestApp, startProactiveTestApp } from '../test-support/test-app';

const BASE = '/proactive/do-not-call';

/** One consent across channels: administrators' do-not-call changes are published on voice.consent.v1 (through the outbox). */
describe('do-not-call changes published on voice.consent.v1 (PD3.1, one consent across channels)', () => {
  let app: ProactiveTestApp;

  beforeAll(async () => {
    app = await startProactiveTestApp({ DISPATCH_POLL_MS: '60000' });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  const call = (path: string, method = 'GET', body?: string, headers?: Record<string, string>, tenantId = TENANT_A) => app.call(`${BASE}${path}`, { method, body, headers, tenantId, roles: ADMIN });
  const voiceEvents = async (phoneNumber: string) => (await app.outbox({ key: phoneNumber })).filter((row) => row.topic === Topics.voiceConsent).map((row) => row.envelope);

  it('PD3.1 an entry added through the API is published (reason, expiry, origin api) in its transaction; its removal too', async () => {
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    expect((await call('', 'POST', JSON.stringify({ phoneNumber: '+12125550401', reason: 'Asked on a call', expiresAt }))).status).toBe(201);
    expect((await call(`/${encodeURIComponent('+12125550401')}`, 'DELETE')).status).toBe(204);
    expect(await voiceEvents('+12125550401')).toEqual([
      expect.objectContaining({ type: VoiceConsentEventTypes.listed, tenantid: TENANT_A, data: expect.objectContaining({ phoneNumber: '+12125550401', origin: 'api', reason: 'Asked on a call', expiresAt }) }),
      expect.objectContaining({ type: VoiceConsentEventTypes.unlisted, data: expect.objectContaining({ phoneNumber: '+12125550401', origin: 'api' }) }),
    ]);
    // Removing a number that is not listed changes nothing and publishes nothing.
    expect((await call(`/${encodeURIComponent('+12125550401')}`, 'DELETE')).status).toBe(404);
    expect(await voiceEvents('+12125550401')).toHaveLength(2);
  });

  it('PD3.1 a CSV import publishes one listing per number (origin import); a refused import publishes nothing', async () => {
    const imported = await call('/import', 'POST', 'phoneNumber,reason\n+12125550402,Complaint\n+12125550403,\n', { 'content-type': 'text/csv' });
    expect(imported.status).toBe(200);
    expect(await voiceEvents('+12125550402')).toEqual([expect.objectContaining({ type: VoiceConsentEventTypes.listed, data: expect.objectContaining({ origin: 'import', reason: 'Complaint', expiresAt: null }) })]);
    expect(await voiceEvents('+12125550403')).toEqual([expect.objectContaining({ data: expect.objectContaining({ origin: 'import', reason: null }) })]);

    const refused = await call('/import', 'POST', 'phoneNumber,reason\n+12125550404,ok\nnot-a-number,bad\n', { 'content-type': 'text/csv' });
    expect(refused.status).toBe(400);
    expect(await voiceEvents('+12125550404')).toEqual([]);
  });

  it("PD3.1 a listing a customer's SMS opt-out made is not published back (no echo), nor is its removal", async () => {
    const publisher = app.app.get(OutboxPublisher);
    const phoneNumber = '+12125550405';
    // A tenant of its own: every test app on this run's Kafka reads messaging.consent.v1, and other files count TENANT_A's entries.
    const tenantId = randomUUID();
    const event = publisher.event({ type: MessagingConsentEventTypes.withdrawn, subject: phoneNumber, tenantId, data: { phoneNumber, channel: 'sms' as const, keyword: 'STOP', inboundMessageId: randomUUID(), occurredAt: new Date().toISOString() } });
    await app.prisma.transaction((tx) => publisher.enqueue(tx, [{ topic: Topics.messagingConsent, key: phoneNumber, event }]));
    await eventually(async () => (await app.prisma.doNotCallEntry.findUnique({ where: { tenantId_phoneNumber: { tenantId, phoneNumber } } })) ?? undefined, 'the opt-out on the do-not-call list');

    expect((await call(`/${encodeURIComponent(phoneNumber)}`, 'DELETE', undefined, undefined, tenantId)).status).toBe(204);
    expect(await voiceEvents(phoneNumber)).toEqual([]);
  });
});
