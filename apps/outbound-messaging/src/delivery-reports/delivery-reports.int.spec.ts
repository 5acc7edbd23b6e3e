import type { TwilioSimulator } from '@switchboard/testing';
import twilioSdk from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVOKE_PATH } from '../invoke/invoke.controller';
import type { InvokeResponse } from '../invoke/invoke.schema';
import { MessageSender } from '../sending/message-sender.service';
import { STATUS_CALLBACK_PATH } from '../sending/status-callbacks';
import { createConfiguration, send, SUPERVISOR } from '../test-support/fixtures';
import type { MessagingTestApp } from '../test-support/test-app';
import { startAppWithTwilio } from '../test-support/twilio-app';

const contact = (to: string) => ({ tocontactid: to, channelid: 'sms', option: true, CustomerName: 'Dana', CaseName: 'CAS-11' });

describe('delivery reports: Twilio status callbacks (OM3.3, OM5.4)', () => {
  let twilio: TwilioSimulator;
  let app: MessagingTestApp;
  let configurationId: string;
  let channelId: string;

  beforeAll(async () => {
    ({ twilio, app } = await startAppWithTwilio());
    ({ configurationId, channelId } = await createConfiguration(app, { channel: { sender: '+14155550160', messagesPerSecond: 100 } }));
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await twilio?.close();
  });

  async function sendOne(to: string): Promise<string> {
    const answer = await send<InvokeResponse>(app, 'POST', `/${INVOKE_PATH}`, { msdyn_ocoutboundconfigurationid: configurationId, ContactList: [contact(to)] }, { roles: SUPERVISOR });
    const id = answer.body.ContactList[0]?.messageId as string;
    await app.app.get(MessageSender).runOnce();
    await app.app.get(MessageSender).idle();
    await twilio.settled();
    return id;
  }
  const message = (id: string) => app.prisma.outboundMessage.findUniqueOrThrow({ where: { id } });
  const eventTypes = async (id: string) => (await app.outbox({ key: id })).map((row) => row.envelope.type.replace('switchboard.messaging.', ''));
  const callbackUrl = (id: string) => `${app.url}/${STATUS_CALLBACK_PATH}/${channelId}?messageId=${id}`;
  const postCallback = (url: string, params: Record<string, string>, signature?: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature && { 'x-twilio-signature': signature }) }, body: new URLSearchParams(params).toString() });

  it('OM3.3 OM5.4 the signed status callbacks take a message queued → sent → delivered, each event once', async () => {
    const id = await sendOne('+14155552801');
    const delivered = await message(id);
    expect(delivered).toMatchObject({ status: 'delivered', deliveredAt: expect.any(Date), sentAt: expect.any(Date) });
    expect(twilio.messages.get(delivered.providerMessageId as string)?.status).toBe('delivered');
    expect(await eventTypes(id)).toEqual(['MessageQueued', 'MessageSent', 'MessageDelivered']);
  });

  it('OM3.3 an undelivered report fails the message with the carrier\'s error code', async () => {
    twilio.failRecipient('+14155552802', { type: 'undelivered', errorCode: 30003 });
    const id = await sendOne('+14155552802');
    expect(await message(id)).toMatchObject({ status: 'failed', errorCode: '30003', errorMessage: 'unreachable destination handset' });
    expect(await eventTypes(id)).toEqual(['MessageQueued', 'MessageSent', 'MessageFailed']);
  });

  it('OM3.3 out of order: a late "sent" report never takes a delivered message back', async () => {
    const id = await sendOne('+14155552803');
    const { providerMessageId } = await message(id);
    const params = { MessageSid: providerMessageId as string, MessageStatus: 'sent', AccountSid: twilio.account.accountSid };
    const signature = twilioSdk.getExpectedTwilioSignature(twilio.account.authToken, callbackUrl(id), params);

    const late = await postCallback(callbackUrl(id), params, signature);

    expect(late.status).toBe(200);
    expect(await late.json()).toEqual({ outcome: 'unchanged' });
    expect((await message(id)).status).toBe('delivered');
    expect(await eventTypes(id)).toEqual(['MessageQueued', 'MessageSent', 'MessageDelivered']);
  });

  it('OM3.3 OM5.4 a final report that overtakes the sender\'s record of the send records it sent first: MessageSent once, before MessageDelivered', async () => {
    const answer = await send<InvokeResponse>(app, 'POST', `/${INVOKE_PATH}`, { msdyn_ocoutboundconfigurationid: configurationId, ContactList: [contact('+14155552804')] }, { roles: SUPERVISOR });
    const id = answer.body.ContactList[0]?.messageId as string;
    // The sender has not recorded the send yet (here: not even claimed it); the provider's report comes first.
    const params = { MessageSid: `SM${'c'.repeat(32)}`, MessageStatus: 'delivered', AccountSid: twilio.account.accountSid };
    const early = await postCallback(callbackUrl(id), params, twilioSdk.getExpectedTwilioSignature(twilio.account.authToken, callbackUrl(id), params));

    expect(await early.json()).toEqual({ outcome: 'applied' });
    expect(await message(id)).toMatchObject({ status: 'delivered', providerMessageId: params.MessageSid, sentAt: expect.any(Date), deliveredAt: expect.any(Date) });
    expect(await eventTypes(id)).toEqual(['MessageQueued', 'MessageSent', 'MessageDelivered']);
    const again = await postCallback(callbackUrl(id), params, twilioSdk.getExpectedTwilioSignature(twilio.account.authToken, callbackUrl(id), params));
    expect(await again.json()).toEqual({ outcome: 'unchanged' });
    expect(await app.app.get(MessageSender).runOnce()).toBe(0);
    expect(await eventTypes(id)).toEqual(['MessageQueued', 'MessageSent', 'MessageDelivered']);
  });

  it('OM3.3 unsigned, forged or replayed callbacks are refused (403) and change nothing', async () => {
    const id = await sendOne('+14155552804');
    const { providerMessageId } = await message(id);
    const params = { MessageSid: providerMessageId as string, MessageStatus: 'failed', ErrorCode: '30008' };
    const other = await sendOne('+14155552805');

    expect((await postCallback(callbackUrl(id), params)).status).toBe(403);
    expect((await postCallback(callbackUrl(id), params, twilioSdk.getExpectedTwilioSignature('not-the-token', callbackUrl(id), params))).status).toBe(403);
    const signedForOther = twilioSdk.getExpectedTwilioSignature(twilio.account.authToken, callbackUrl(other), params);
    expect((await postCallback(callbackUrl(id), params, signedForOther)).status).toBe(403);
    expect((await postCallback(`${app.url}/${STATUS_CALLBACK_PATH}/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}?messageId=${id}`, params, 'x')).status).toBe(403);
    expect((await message(id)).status).toBe('delivered');
  });
});
