import { InboundConversationEventTypes, Topics } from '@switchboard/contracts';
import { AcsSmsSimulator } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVOKE_PATH } from '../invoke/invoke.controller';
import type { InvokeResponse } from '../invoke/invoke.schema';
import { MessageSender } from '../sending/message-sender.service';
import { contact, createConfiguration, send, SUPERVISOR, TENANT_A, TWILIO_CHANNEL } from '../test-support/fixtures';
import { type MessagingTestApp, startMessagingTestApp } from '../test-support/test-app';
import { ACS_EVENTS_PATH, type AcsEventsAnswer } from './acs-events.controller';

const SENDER = '+18005550177';
const EVENT_GRID_SECRET = 'event-grid-subscription-secret-0123456789';

describe('ACS delivery reports and replies through an Event Grid subscription (OM3.3, OM3.4, OM5.1)', () => {
  let acs: AcsSmsSimulator;
  let app: MessagingTestApp;
  let configurationId: string;
  let channelId: string;
  let webhookUrl: string;

  beforeAll(async () => {
    acs = await AcsSmsSimulator.start({ deliveryReportDelayMs: 5 });
    app = await startMessagingTestApp({ SEND_POLL_MS: '60000', OUTBOUND_HTTP_ALLOW: '127.0.0.1' });
    await app.app.get(MessageSender).stop();
    const channel = { provider: 'acs', sender: SENDER, messagesPerSecond: 100, account: { endpoint: acs.url }, credentials: { accessKey: acs.accessKey, eventGridSecret: EVENT_GRID_SECRET } };
    ({ configurationId, channelId } = await createConfiguration(app, { channel }));
    webhookUrl = `${app.url}/${ACS_EVENTS_PATH}/${channelId}`;
    acs.subscribe(`${webhookUrl}?code=${EVENT_GRID_SECRET}`);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await acs?.close();
  });

  const sendTo = async (to: string): Promise<string> => {
    const answer = await send<InvokeResponse>(app, 'POST', `/${INVOKE_PATH}`, { msdyn_ocoutboundconfigurationid: configurationId, ContactList: [contact({ tocontactid: to })] }, { roles: SUPERVISOR });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    await app.app.get(MessageSender).runOnce();
    await app.app.get(MessageSender).idle();
    await acs.settled();
    const messageId = answer.body.ContactList[0]?.messageId;
    if (!messageId) throw new Error(`no message was queued: ${JSON.stringify(answer.body)}`);
    return messageId;
  };
  const message = (id: string) => app.prisma.outboundMessage.findUniqueOrThrow({ where: { id } });
  const eventTypes = async (id: string) => (await app.outbox({ key: id })).map((row) => row.envelope.type.replace('switchboard.messaging.', ''));
  /** What the simulator posted to us of `eventType` (and mentioning `containing`), and our answer. */
  const deliveryOf = (eventType: string, containing = '') => {
    const delivery = acs.webhooks.deliveries.find((entry) => entry.body.includes(eventType) && entry.body.includes(containing));
    if (!delivery) throw new Error(`the simulator posted no ${eventType} event mentioning "${containing}"`);
    return { ...delivery, answer: JSON.parse(delivery.responseBody ?? 'null') as unknown };
  };
  const post = (url: string, body: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification' }, body });

  it('OM3.4 answers Event Grid\'s validation handshake, so the subscription becomes active', async () => {
    await sendTo('+14155553101');
    const handshake = deliveryOf('Microsoft.EventGrid.SubscriptionValidationEvent');
    expect(handshake.status).toBe(200);
    const [{ data }] = JSON.parse(handshake.body) as [{ data: { validationCode: string } }];
    expect(handshake.answer).toEqual({ validationResponse: data.validationCode });
  });

  it('OM3.3 OM5.4 a Delivered report takes the message to delivered, with its events once; the same report again changes nothing', async () => {
    const id = await sendTo('+14155553102');
    expect(await message(id)).toMatchObject({ status: 'delivered', deliveredAt: expect.any(Date), providerMessageId: expect.stringMatching(/^Outgoing_/) });
    expect(await eventTypes(id)).toEqual(['MessageQueued', 'MessageSent', 'MessageDelivered']);

    const report = deliveryOf('SMSDeliveryReportReceived', id);
    expect(report.answer).toEqual({ deliveryReports: ['applied'], inboundMessages: [] });
    const again = await post(`${webhookUrl}?code=${EVENT_GRID_SECRET}`, report.body);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ deliveryReports: ['unchanged'], inboundMessages: [] });
    expect(await eventTypes(id)).toEqual(['MessageQueued', 'MessageSent', 'MessageDelivered']);
  });

  it('OM3.3 a Failed report fails the message with ACS\'s details', async () => {
    acs.failRecipient('+14155553103', { type: 'undelivered', message: 'Undelivered: handset unreachable' });
    const id = await sendTo('+14155553103');
    expect(await message(id)).toMatchObject({ status: 'failed', errorCode: 'Failed', errorMessage: 'Undelivered: handset unreachable' });
    expect(await eventTypes(id)).toEqual(['MessageQueued', 'MessageSent', 'MessageFailed']);
  });

  it('OM5.1 a customer\'s SMS (SMSReceived) is stored as a reply to the message it answers and published on conversation.inbound.v1, once', async () => {
    const customer = '+14155553104';
    const answered = await sendTo(customer);
    const acsMessageId = await acs.injectInbound({ from: customer, to: SENDER, message: 'Thank you!' });
    await acs.settled();

    const stored = await app.prisma.inboundMessage.findFirstOrThrow({ where: { providerMessageId: acsMessageId } });
    expect(stored).toMatchObject({ tenantId: TENANT_A, channelId, fromNumber: customer, toSender: SENDER, body: 'Thank you!', inReplyTo: answered });
    const delivery = deliveryOf('SMSReceived', acsMessageId);
    expect(delivery.answer).toEqual({ deliveryReports: [], inboundMessages: ['recorded'] });
    const redelivered = await post(`${webhookUrl}?code=${EVENT_GRID_SECRET}`, delivery.body);
    expect(await redelivered.json()).toEqual({ deliveryReports: [], inboundMessages: ['duplicate'] });
    const events = (await app.outbox({ key: customer })).filter((row) => row.topic === Topics.conversationInbound);
    expect(events.map((row) => row.envelope)).toEqual([expect.objectContaining({ type: InboundConversationEventTypes.received, data: expect.objectContaining({ inboundMessageId: stored.id, body: 'Thank you!' }) })]);
  });

  it('refuses deliveries without the subscription secret, with a wrong one, for unknown channels or channels without a secret, and malformed ones — changing nothing', async () => {
    const customer = '+14155553105';
    const id = await sendTo(customer);
    const report = deliveryOf('SMSDeliveryReportReceived', id);
    const failedReport = report.body.replace('"Delivered"', '"Failed"');
    const twilioChannelId = (await createConfiguration(app, { channel: { ...TWILIO_CHANNEL, sender: '+14155550178' } })).channelId;
    const cases: [string, string, string, number, string][] = [
      ['no code', webhookUrl, failedReport, 401, 'SignatureInvalid'],
      ['a wrong code', `${webhookUrl}?code=${EVENT_GRID_SECRET.replace('0', '1')}`, failedReport, 403, 'SignatureInvalid'],
      ['an unknown channel', `${app.url}/${ACS_EVENTS_PATH}/${randomUUID()}?code=${EVENT_GRID_SECRET}`, failedReport, 403, 'SignatureInvalid'],
      ['a Twilio channel', `${app.url}/${ACS_EVENTS_PATH}/${twilioChannelId}?code=${EVENT_GRID_SECRET}`, failedReport, 403, 'SignatureInvalid'],
      ['a channel id that is not a GUID', `${app.url}/${ACS_EVENTS_PATH}/not-a-guid?code=${EVENT_GRID_SECRET}`, failedReport, 400, 'BadRequest'],
      ['not an event array', `${webhookUrl}?code=${EVENT_GRID_SECRET}`, '{"events":[]}', 400, 'BadEventGridDelivery'],
      ['a report without MessageId', `${webhookUrl}?code=${EVENT_GRID_SECRET}`, failedReport.replace('"MessageId"', '"Id"'), 400, 'BadEventGridDelivery'],
      ['JSON nested too deep', `${webhookUrl}?code=${EVENT_GRID_SECRET}`, `${'['.repeat(10_000)}${']'.repeat(10_000)}`, 400, 'BadRequest'],
      ['a NUL character', `${webhookUrl}?code=${EVENT_GRID_SECRET}`, failedReport.replace('No error.', 'No\\u0000error'), 400, ''],
    ];
    for (const [label, url, body, status, code] of cases) {
      const answer = await post(url, body);
      const text = await answer.text();
      expect(answer.status, `${label}: ${text}`).toBe(status);
      if (code) expect((JSON.parse(text) as { error: { code: string } }).error.code, `${label}: ${text}`).toBe(code);
    }
    expect(await message(id)).toMatchObject({ status: 'delivered' });
    expect(await eventTypes(id)).toEqual(['MessageQueued', 'MessageSent', 'MessageDelivered']);
  });

  it('a Tag that is not one of our message ids is not looked up by (the report is matched by ACS\'s message id)', async () => {
    const id = await sendTo('+14155553106');
    const report = deliveryOf('SMSDeliveryReportReceived', id);
    const answer = await post(`${webhookUrl}?code=${EVENT_GRID_SECRET}`, report.body.replace(id, "' OR 1=1 --").replace('"Delivered"', '"Failed"'));
    expect(answer.status).toBe(200);
    expect((await answer.json()) as AcsEventsAnswer).toEqual({ deliveryReports: ['unchanged'], inboundMessages: [] });
  });
});
