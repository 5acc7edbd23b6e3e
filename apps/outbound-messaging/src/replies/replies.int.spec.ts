import { InboundConversationEventTypes, MessagingConsentEventTypes, Topics } from '@switchboard/contracts';
import type { TwilioSimulator } from '@switchboard/testing';
import twilioSdk from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVOKE_PATH } from '../invoke/invoke.controller';
import type { InvokeResponse } from '../invoke/invoke.schema';
import { MessageSender } from '../sending/message-sender.service';
import type { MessageDetail, TimelineActivity } from '../reporting/reporting.schema';
import { contact, createConfiguration, send, SUPERVISOR, TENANT_A, TENANT_B } from '../test-support/fixtures';
import type { MessagingTestApp } from '../test-support/test-app';
import { startAppWithTwilio } from '../test-support/twilio-app';
import { TWILIO_INBOUND_PATH } from './twilio-inbound.controller';

const SENDER = '+14155550170';

describe('replies and opt-outs (OM5.1, OM5.2): Twilio inbound webhook → conversation.inbound.v1, suppression list, messaging.consent.v1', () => {
  let twilio: TwilioSimulator;
  let app: MessagingTestApp;
  let configurationId: string;
  let channelId: string;
  let inboundUrl: string;

  beforeAll(async () => {
    ({ twilio, app } = await startAppWithTwilio());
    ({ configurationId, channelId } = await createConfiguration(app, { channel: { sender: SENDER, messagesPerSecond: 100 } }));
    inboundUrl = `${app.url}/${TWILIO_INBOUND_PATH}/${channelId}`;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await twilio?.close();
  });

  const invoke = (to: string) => send<InvokeResponse>(app, 'POST', `/${INVOKE_PATH}`, { msdyn_ocoutboundconfigurationid: configurationId, ContactList: [contact({ tocontactid: to, CaseName: 'CAS-REPLY' })] }, { roles: SUPERVISOR });
  const sendQueued = async () => {
    await app.app.get(MessageSender).runOnce();
    await app.app.get(MessageSender).idle();
    await twilio.settled();
  };
  const reply = async (from: string, body: string, url = inboundUrl) => {
    const answer = await twilio.injectInbound({ from, to: SENDER, body, url });
    expect(answer.status, answer.responseBody).toBe(200);
    return { ...answer, body: JSON.parse(answer.responseBody as string) as { outcome: string; inboundMessageId: string; keyword?: string } };
  };
  const eventsOn = async (topic: string, key: string) => (await app.outbox({ key })).filter((row) => row.topic === topic).map((row) => row.envelope);

  it('OM5.1 a reply is stored, linked to the message it answers (same sender and customer, the latest) and published on conversation.inbound.v1', async () => {
    const customer = '+14155552911';
    await invoke(customer);
    const latest = (await invoke(customer)).body.ContactList[0]!.messageId!;
    await sendQueued();

    const answer = await reply(customer, 'Thanks, that fixed it');
    expect(answer.body).toMatchObject({ outcome: 'recorded', inboundMessageId: expect.any(String) });
    const stored = await app.prisma.inboundMessage.findUniqueOrThrow({ where: { id: answer.body.inboundMessageId } });
    expect(stored).toMatchObject({ tenantId: TENANT_A, channelId, fromNumber: customer, toSender: SENDER, body: 'Thanks, that fixed it', inReplyTo: latest, keywordAction: null, providerMessageId: answer.messageSid });
    const [event] = await eventsOn(Topics.conversationInbound, customer);
    expect(event).toMatchObject({ type: InboundConversationEventTypes.received, tenantid: TENANT_A, data: { inboundMessageId: stored.id, from: customer, to: SENDER, channel: 'sms', inReplyTo: { messageId: latest, configurationId } } });
  }, 60_000);

  it("OM5.1 OM5.3 a reply is read with the message it answers and on the customer's timeline; another tenant sees neither", async () => {
    const customer = '+14155552914';
    const { configurationId: timeline, channelId: timelineChannel } = await createConfiguration(app, { showInTimeline: true, channel: { sender: SENDER, messagesPerSecond: 100 } });
    const invokeOn = async (configuration: string) => {
      const [accepted] = (await send<InvokeResponse>(app, 'POST', `/${INVOKE_PATH}`, { msdyn_ocoutboundconfigurationid: configuration, ContactList: [contact({ tocontactid: customer })] }, { roles: SUPERVISOR })).body.ContactList;
      return String(accepted?.messageId);
    };
    const earlier = await invokeOn(timeline);
    const answered = await invokeOn(timeline);
    await sendQueued();

    const answer = await reply(customer, 'Can you call me after 5?', `${app.url}/${TWILIO_INBOUND_PATH}/${timelineChannel}`);
    const stored = await app.prisma.inboundMessage.findUniqueOrThrow({ where: { id: answer.body.inboundMessageId } });
    const shown = { id: stored.id, from: customer, body: 'Can you call me after 5?', keywordAction: null, receivedAt: stored.receivedAt.toISOString() };
    expect((await send<MessageDetail>(app, 'GET', `/outbound/messages/${answered}`, undefined, { roles: SUPERVISOR })).body.replies).toEqual([shown]);
    expect((await send<MessageDetail>(app, 'GET', `/outbound/messages/${earlier}`, undefined, { roles: SUPERVISOR })).body.replies).toEqual([]);
    const { items } = (await send<{ items: TimelineActivity[] }>(app, 'GET', `/outbound/timeline?tocontactid=${encodeURIComponent(customer)}`, undefined, { roles: SUPERVISOR })).body;
    expect(items.map((item) => [item.messageId, item.replies])).toEqual([
      [answered, [shown]],
      [earlier, []],
    ]);
    expect((await send<{ items: TimelineActivity[] }>(app, 'GET', `/outbound/timeline?tocontactid=${encodeURIComponent(customer)}`, undefined, { tenantId: TENANT_B, roles: SUPERVISOR })).body.items).toEqual([]);
  }, 60_000);

  it('OM5.2 "Arrêt" puts the number on the suppression list: the next send is skipped with the reason and never reaches Twilio; START lifts it; each change is a consent event', async () => {
    const customer = '+14155552912';
    await invoke(customer);
    await sendQueued();
    // Queued before the opt-out, not yet sent: the opt-out stops it too.
    const waiting = (await invoke(customer)).body.ContactList[0]!.messageId!;
    const optOut = await reply(customer, ' Arrêt! ');
    expect(await app.prisma.outboundMessage.findUniqueOrThrow({ where: { id: waiting } })).toMatchObject({ status: 'skipped', dueAt: null, statusReason: expect.stringContaining('opted out (replied ARRET) before this message was sent') });
    expect((await app.outbox({ key: waiting })).map((row) => row.envelope.type)).toEqual(['switchboard.messaging.MessageQueued', 'switchboard.messaging.MessageSkipped']);
    expect(optOut.body).toMatchObject({ outcome: 'recorded', keyword: 'ARRET' }); // accents and case ignored
    expect(await app.prisma.optOut.findUnique({ where: { tenantId_phoneNumber: { tenantId: TENANT_A, phoneNumber: customer } } })).toMatchObject({ keyword: 'ARRET', inboundMessageId: optOut.body.inboundMessageId });
    expect(await eventsOn(Topics.messagingConsent, customer)).toEqual([
      expect.objectContaining({ type: MessagingConsentEventTypes.withdrawn, data: expect.objectContaining({ phoneNumber: customer, channel: 'sms', keyword: 'ARRET', inboundMessageId: optOut.body.inboundMessageId }) }),
    ]);

    const sentBefore = twilio.requests.filter((request) => request.params['To'] === customer).length;
    const suppressed = await invoke(customer);
    expect(suppressed.body.ContactList[0]).toMatchObject({ status: 'skipped', reason: expect.stringContaining('opted out (replied ARRET)') });
    expect(await app.prisma.outboundMessage.findUniqueOrThrow({ where: { id: suppressed.body.ContactList[0]!.messageId! } })).toMatchObject({ status: 'skipped', statusReason: expect.stringContaining('opted out') });
    await sendQueued();
    expect(twilio.requests.filter((request) => request.params['To'] === customer)).toHaveLength(sentBefore);

    // A second STOP changes nothing more; START opts back in.
    await reply(customer, 'STOP');
    expect(await eventsOn(Topics.messagingConsent, customer)).toHaveLength(1);
    const optIn = await reply(customer, 'start');
    expect(optIn.body.keyword).toBe('START');
    expect(await app.prisma.optOut.count({ where: { tenantId: TENANT_A, phoneNumber: customer } })).toBe(0);
    expect((await eventsOn(Topics.messagingConsent, customer)).map((event) => event.type)).toEqual([MessagingConsentEventTypes.withdrawn, MessagingConsentEventTypes.granted]);
    expect((await invoke(customer)).body.ContactList[0]).toMatchObject({ status: 'accepted' });
  }, 60_000);

  it('OM5.1 unsigned, forged, re-addressed or unknown-channel webhooks are refused (403/400) and store nothing; a retried webhook is stored once', async () => {
    const params = { MessageSid: 'SM0123456789abcdef0123456789abcdef', AccountSid: twilio.account.accountSid, From: '+14155552913', To: SENDER, Body: 'STOP' };
    const post = (url: string, body: Record<string, string>, signature?: string, contentType = 'application/x-www-form-urlencoded') =>
      fetch(url, { method: 'POST', headers: { 'content-type': contentType, ...(signature && { 'x-twilio-signature': signature }) }, body: new URLSearchParams(body).toString() });
    const sign = (url: string, body: Record<string, string>, token = twilio.account.authToken) => twilioSdk.getExpectedTwilioSignature(token, url, body);
    const otherChannel = `${app.url}/${TWILIO_INBOUND_PATH}/00000000-0000-4000-8000-000000000000`;

    expect((await post(inboundUrl, params)).status).toBe(403);
    expect((await post(inboundUrl, params, sign(inboundUrl, params, 'not-the-token'))).status).toBe(403);
    expect((await post(inboundUrl, { ...params, Body: 'hello' }, sign(inboundUrl, params))).status).toBe(403);
    expect((await post(otherChannel, params, sign(otherChannel, params))).status).toBe(403);
    expect((await post(`${app.url}/${TWILIO_INBOUND_PATH}/not-a-guid`, params, sign(inboundUrl, params))).status).toBe(400);
    const noFrom = { ...params, From: '' };
    expect((await post(inboundUrl, noFrom, sign(inboundUrl, noFrom))).status).toBe(400);
    expect((await post(inboundUrl, params, sign(inboundUrl, params), 'application/json')).status).toBe(400);
    expect(await app.prisma.inboundMessage.count({ where: { fromNumber: '+14155552913' } })).toBe(0);
    expect(await app.prisma.optOut.count({ where: { phoneNumber: '+14155552913' } })).toBe(0);

    const first = await post(inboundUrl, params, sign(inboundUrl, params));
    const retried = await post(inboundUrl, params, sign(inboundUrl, params));
    expect([first.status, retried.status]).toEqual([200, 200]);
    expect(await retried.json()).toEqual({ outcome: 'duplicate' });
    expect(await app.prisma.inboundMessage.count({ where: { fromNumber: '+14155552913' } })).toBe(1);
    expect(await eventsOn(Topics.messagingConsent, '+14155552913')).toHaveLength(1);
  }, 60_000);
});
