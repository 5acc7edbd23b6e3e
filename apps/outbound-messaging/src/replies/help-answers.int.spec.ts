import type { TwilioSimulator } from '@switchboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageSender } from '../sending/message-sender.service';
import { created, send, SIMULATOR_CHANNEL } from '../test-support/fixtures';
import type { MessagingTestApp } from '../test-support/test-app';
import { startAppWithTwilio } from '../test-support/twilio-app';
import { TWILIO_INBOUND_PATH } from './twilio-inbound.controller';

const SENDER = '+14155550180';
type Answer = { outcome: string; inboundMessageId?: string; keyword?: string; helpAnswerId?: string };

describe('HELP answers (OM5.2): a help keyword is answered from the same channel, once, even to an opted-out number', () => {
  let twilio: TwilioSimulator;
  let app: MessagingTestApp;
  let channelId: string;
  let inboundUrl: string;

  beforeAll(async () => {
    ({ twilio, app } = await startAppWithTwilio());
    channelId = await created(app, '/outbound/channels', { ...SIMULATOR_CHANNEL, name: 'Acme Support', sender: SENDER, messagesPerSecond: 100 });
    inboundUrl = `${app.url}/${TWILIO_INBOUND_PATH}/${channelId}`;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await twilio?.close();
  });

  const reply = async (from: string, body: string): Promise<Answer & { messageSid: string }> => {
    const answer = await twilio.injectInbound({ from, to: SENDER, body, url: inboundUrl });
    expect(answer.status, answer.responseBody).toBe(200);
    return { ...(JSON.parse(answer.responseBody as string) as Answer), messageSid: answer.messageSid };
  };
  const sendQueued = async () => {
    await app.app.get(MessageSender).runOnce();
    await app.app.get(MessageSender).idle();
    await twilio.settled();
  };
  const sentTo = (customer: string) => twilio.requests.filter((request) => request.params['To'] === customer && request.params['From'] === SENDER);

  it('OM5.2 "help" is answered through the same provider on the same sender → customer pair with the default text naming the channel and how to opt out, tracked as a message without a configuration or events', async () => {
    const customer = '+14155552931';
    const answer = await reply(customer, ' help ');
    expect(answer).toMatchObject({ outcome: 'recorded', keyword: 'HELP', helpAnswerId: expect.any(String) });
    await sendQueued();

    expect(sentTo(customer).map((request) => request.params['Body'])).toEqual(['Acme Support: Reply STOP to unsubscribe, START to resubscribe.']);
    const message = await app.prisma.outboundMessage.findUniqueOrThrow({ where: { id: answer.helpAnswerId as string } });
    expect(message).toMatchObject({ channelId, toNumber: customer, configurationId: null, inAnswerTo: answer.inboundMessageId, requestId: answer.inboundMessageId, locale: 'en', status: 'delivered', segments: 1 }); // the signed status callbacks tracked it
    expect(await app.outbox({ key: message.id })).toEqual([]);
    const view = await send<{ configurationId: string | null; inAnswerTo: string }>(app, 'GET', `/outbound/messages/${message.id}`);
    expect(view.body).toMatchObject({ configurationId: null, inAnswerTo: answer.inboundMessageId, status: 'delivered' });
  }, 60_000);

  it('OM5.2 a redelivered HELP webhook is answered once', async () => {
    const customer = '+14155552932';
    const first = await reply(customer, 'INFO');
    const params = { MessageSid: first.messageSid, AccountSid: twilio.account.accountSid, From: customer, To: SENDER, Body: 'INFO' };
    const twilioSdk = (await import('twilio')).default;
    const signature = twilioSdk.getExpectedTwilioSignature(twilio.account.authToken, inboundUrl, params);
    const retried = await fetch(inboundUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: new URLSearchParams(params).toString() });
    expect(await retried.json()).toEqual({ outcome: 'duplicate' });
    await sendQueued();
    expect(sentTo(customer)).toHaveLength(1);
    expect(await app.prisma.outboundMessage.count({ where: { toNumber: customer } })).toBe(1);
  }, 60_000);

  it('OM5.2 "Aide" (French, accents and case ignored) gets the French default; a configured helpText replaces the default', async () => {
    const customer = '+14155552933';
    const french = await reply(customer, 'aidé!');
    expect(french.keyword).toBe('AIDE');
    expect(await app.prisma.outboundMessage.findUniqueOrThrow({ where: { id: french.helpAnswerId as string } })).toMatchObject({ locale: 'fr', body: 'Acme Support: Répondez ARRET pour vous désinscrire, START pour vous réinscrire.' });

    const helpText = 'Acme Support: call 0800 123 456 or visit acme.example/help. Reply STOP to opt out.';
    const replaced = await send(app, 'PUT', `/outbound/channels/${channelId}`, { ...SIMULATOR_CHANNEL, name: 'Acme Support', sender: SENDER, messagesPerSecond: 100, helpText });
    expect(replaced.body).toMatchObject({ helpText });
    const configured = await reply(customer, 'HELP');
    await sendQueued();
    expect(sentTo(customer).map((request) => request.params['Body'])).toContain(helpText);
    expect(await app.prisma.outboundMessage.findUniqueOrThrow({ where: { id: configured.helpAnswerId as string } })).toMatchObject({ body: helpText, status: 'delivered' });
  }, 60_000);

  it('OM5.2 an opted-out number still gets its HELP answer handed to the provider (carriers require it); Twilio itself refuses the pair after STOP (21610), which is recorded', async () => {
    const customer = '+14155552934';
    await reply(customer, 'STOP');
    const help = await reply(customer, 'HELP');
    expect(help.helpAnswerId).toEqual(expect.any(String));
    await sendQueued();
    expect(sentTo(customer)).toHaveLength(1);
    expect(await app.prisma.outboundMessage.findUniqueOrThrow({ where: { id: help.helpAnswerId as string } })).toMatchObject({ status: 'failed', errorCode: '21610' });
    // An ordinary reply is no keyword and gets no answer.
    expect((await reply(customer, 'Can you help me with my order?')).helpAnswerId).toBeUndefined();
  }, 60_000);
});
