import { TwilioSimulator } from '@switchboard/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { INVOKE_PATH } from '../invoke/invoke.controller';
import type { InvokeResponse } from '../invoke/invoke.schema';
import { createConfiguration, send, SUPERVISOR } from '../test-support/fixtures';
import { type MessagingTestApp, startMessagingTestApp } from '../test-support/test-app';
import { MessageSender } from './message-sender.service';

const contact = (to: string, override: Record<string, unknown> = {}) => ({ tocontactid: to, channelid: 'sms', option: true, CustomerName: 'Dana', CaseName: 'CAS-7', ...override });
const numbers = (count: number, first = 2000) => Array.from({ length: count }, (_, i) => `+1415555${first + i}`);

describe('durable sending through the Twilio simulator (OM3.3, OM3.4, OM5.4)', () => {
  let twilio: TwilioSimulator;
  let app: MessagingTestApp;
  let replica: MessagingTestApp;

  beforeAll(async () => {
    twilio = await TwilioSimulator.start({ autoAdvance: false });
    // The test drives the senders (runOnce); their own loops wait a minute between polls.
    const env = {
      SEND_POLL_MS: '60000',
      OUTBOUND_HTTP_ALLOW: '127.0.0.1',
      MESSAGING_SIMULATOR_URL: twilio.url,
      MESSAGING_SIMULATOR_ACCOUNT_SID: twilio.account.accountSid,
      MESSAGING_SIMULATOR_AUTH_TOKEN: twilio.account.authToken,
      SEND_RETRY_INITIAL_MS: '1000',
    };
    app = await startMessagingTestApp(env);
    replica = await startMessagingTestApp(env, { replicaOf: app });
    await Promise.all([app, replica].map((instance) => instance.app.get(MessageSender).stop()));
  }, 90_000);
  afterAll(async () => {
    await replica?.close();
    await app?.close();
    await twilio?.close();
  });
  beforeEach(async () => {
    twilio.requests.length = 0;
    twilio.faults.clear();
    // Each test counts its own sends: what an earlier test left waiting for its slot is set aside.
    await app.prisma.outboundMessage.updateMany({ where: { status: 'queued' }, data: { status: 'skipped', dueAt: null } });
  });

  async function invoke(configurationId: string, contacts: object[]): Promise<string[]> {
    const answer = await send<InvokeResponse>(app, 'POST', `/${INVOKE_PATH}`, { msdyn_ocoutboundconfigurationid: configurationId, ContactList: contacts }, { roles: SUPERVISOR });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.ContactList.map((result) => result.messageId as string);
  }
  const sender = (instance = app) => instance.app.get(MessageSender);
  async function sendRound(instance = app): Promise<number> {
    const claimed = await sender(instance).runOnce();
    await sender(instance).idle();
    return claimed;
  }
  const messages = (ids: string[]) => app.prisma.outboundMessage.findMany({ where: { id: { in: ids } }, orderBy: { contactIndex: 'asc' } });
  const sentTo = () => twilio.requests.filter((request) => request.method === 'POST').map((request) => request.params['To']);

  it('OM3.3 OM5.4 queued messages are sent through the real Twilio SDK and tracked as sent with the provider id, with MessageSent', async () => {
    const { configurationId } = await createConfiguration(app, { channel: { sender: '+14155550145', messagesPerSecond: 100 } });
    const ids = await invoke(configurationId, [contact('+14155552001'), contact('+14155552002', { locale: 'fr', contextitems: { ticketUrl: 'https://t.example/2' } })]);

    expect(await sendRound()).toBe(2);

    const stored = await messages(ids);
    expect(stored.map((m) => m.status)).toEqual(['sent', 'sent']);
    expect(stored.map((m) => m.attempts)).toEqual([1, 1]);
    for (const message of stored) expect(twilio.messages.get(message.providerMessageId as string)).toMatchObject({ to: message.toNumber });
    const requests = twilio.requests.filter((request) => request.method === 'POST');
    expect(requests.map((r) => [r.params['To'], r.params['From'], r.params['Body']])).toEqual(
      expect.arrayContaining([
        ['+14155552001', '+14155550145', 'Hi Dana, your case CAS-7 was created.'],
        ['+14155552002', '+14155550145', 'Bonjour Dana, votre dossier CAS-7 a été créé (https://t.example/2).'],
      ]),
    );
    const events = await app.outbox({ key: ids[0] });
    expect(events.map((row) => row.envelope.type)).toEqual(['switchboard.messaging.MessageQueued', 'switchboard.messaging.MessageSent']);
    expect(events[1]?.envelope['data']).toMatchObject({ messageId: ids[0], providerMessageId: stored[0]?.providerMessageId, to: '+14155552001' });
  });

  it('OM3.4 a long code sends at most 1 message per second: the rest wait for their slot, on every replica', async () => {
    const { configurationId, channelId } = await createConfiguration(app, { channel: { sender: '+14155550100' } });
    const ids = await invoke(configurationId, numbers(3, 3000).map((to) => contact(to)));

    expect(await sendRound(app)).toBe(1);
    expect(await sendRound(replica)).toBe(0);
    expect(sentTo()).toHaveLength(1);
    const waiting = (await messages(ids)).filter((m) => m.status === 'queued');
    expect(waiting).toHaveLength(2);
    const channel = await app.prisma.outboundChannel.findUniqueOrThrow({ where: { id: channelId } });
    for (const message of waiting) expect((message.dueAt as Date).getTime()).toBeGreaterThanOrEqual(channel.rateTat.getTime());

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await sendRound(replica)).toBe(1);
    expect(sentTo()).toHaveLength(2);
  });

  it('OM3.4 two replicas share a short code\'s work: each of 60 messages is sent exactly once', async () => {
    const { configurationId } = await createConfiguration(app, { channel: { sender: '+14155550146', messagesPerSecond: 1000 } });
    const ids = await invoke(configurationId, numbers(60, 4000).map((to) => contact(to)));

    const rounds = await Promise.all([sendRound(app), sendRound(replica), sendRound(app), sendRound(replica)]);

    expect(rounds.reduce((sum, n) => sum + n, 0)).toBe(60);
    expect(new Set(sentTo()).size).toBe(60);
    expect(sentTo()).toHaveLength(60);
    expect((await messages(ids)).every((m) => m.status === 'sent')).toBe(true);
  });

  it('OM3.4 a provider 429 is backed off: the message waits for Retry-After and its whole sender is held as long', async () => {
    const { configurationId, channelId } = await createConfiguration(app, { channel: { sender: '+14155550147', messagesPerSecond: 100 } });
    twilio.failNext({ status: 429, code: 20429, message: 'Too Many Requests', retryAfterSeconds: 30 });
    const before = Date.now();
    const [id] = await invoke(configurationId, [contact('+14155552101')]);

    await sendRound();

    const [message] = await messages([id as string]);
    // Twilio refused it for sure: not in doubt, the retry sends without looking it up first.
    expect(message).toMatchObject({ status: 'queued', attempts: 1, errorCode: '20429', unconfirmedSince: null });
    expect((message?.dueAt as Date).getTime()).toBeGreaterThanOrEqual(before + 29_000);
    const channel = await app.prisma.outboundChannel.findUniqueOrThrow({ where: { id: channelId } });
    expect(channel.rateTat.getTime()).toBeGreaterThanOrEqual(before + 29_000);
    expect((await app.outbox({ key: id })).map((row) => row.envelope.type)).toEqual(['switchboard.messaging.MessageQueued']);
  });

  it('OM3.3 issue 11 a transient failure is retried after its back-off and then sent, looked up first', async () => {
    const { configurationId } = await createConfiguration(app, { channel: { sender: '+14155550148', messagesPerSecond: 100 } });
    twilio.failNext({ status: 503, message: 'Service Unavailable' });
    const [id] = await invoke(configurationId, [contact('+14155552201')]);

    await sendRound();
    // A 5xx may come after Twilio took the message: in doubt, so the retry looks for it before sending.
    expect((await messages([id as string]))[0]).toMatchObject({ status: 'queued', attempts: 1, unconfirmedSince: expect.any(Date) });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await sendRound();

    expect((await messages([id as string]))[0]).toMatchObject({ status: 'sent', attempts: 2, unconfirmedSince: null });
    expect(twilio.requests.map((request) => request.method)).toEqual(['POST', 'GET', 'POST']);
  });

  it('OM3.3 OM5.4 a refusal by the provider fails the message with its code and message, with MessageFailed', async () => {
    const { configurationId } = await createConfiguration(app, { channel: { sender: '+14155550149', messagesPerSecond: 100 } });
    twilio.failRecipient('+14155552301', { type: 'reject', status: 400, code: 21211, message: "The 'To' number +14155552301 is not a valid phone number." });
    const [id] = await invoke(configurationId, [contact('+14155552301')]);

    await sendRound();

    const [message] = await messages([id as string]);
    expect(message).toMatchObject({ status: 'failed', errorCode: '21211', errorMessage: expect.stringContaining('not a valid phone number'), failedAt: expect.any(Date) });
    const events = await app.outbox({ key: id });
    expect(events.map((row) => row.envelope.type)).toEqual(['switchboard.messaging.MessageQueued', 'switchboard.messaging.MessageFailed']);
    expect(events[1]?.envelope['data']).toMatchObject({ errorCode: '21211' });
  });

  /** A claim whose sender died before writing its outcome: status sending, lease already over, the attempt unconfirmed. */
  const claimedByADeadReplica = (id: string, unconfirmedSince = new Date(Date.now() - 2_000)) =>
    app.prisma.outboundMessage.update({ where: { id }, data: { status: 'sending', attempts: 1, leaseExpiresAt: new Date(Date.now() - 1_000), unconfirmedSince } });
  /** What the dead replica's provider call did: Twilio created the message (the answer reached no one). */
  async function acceptedByTwilio(params: Record<string, string>): Promise<string> {
    const response = await fetch(`${twilio.url}/2010-04-01/Accounts/${twilio.account.accountSid}/Messages.json`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${twilio.account.accountSid}:${twilio.account.authToken}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { sid: string }).sid;
  }
  const lookups = () => twilio.requests.filter((request) => request.method === 'GET' && request.path.endsWith('/Messages.json'));
  const creates = () => twilio.requests.filter((request) => request.method === 'POST');

  it('OM3.3 issue 11 a sender that died mid-send leaves its lease to expire; the message, in doubt and not at the provider, is then sent once by another replica', async () => {
    const { configurationId } = await createConfiguration(app, { channel: { sender: '+14155550150', messagesPerSecond: 100 } });
    const [id] = await invoke(configurationId, [contact('+14155552401')]);
    await claimedByADeadReplica(id as string);

    expect(await sendRound(replica)).toBe(1);

    expect((await messages([id as string]))[0]).toMatchObject({ status: 'sent', attempts: 2, unconfirmedSince: null });
    expect(lookups()).toHaveLength(1);
    expect(lookups()[0]?.query).toMatchObject({ To: '+14155552401', From: '+14155550150' });
    expect(creates()).toHaveLength(1);
  });

  it('OM3.3 issue 11 a message in doubt that Twilio had accepted before the crash is recorded as that message and not sent again', async () => {
    const { configurationId } = await createConfiguration(app, { channel: { sender: '+14155550151', messagesPerSecond: 100 } });
    const [id] = await invoke(configurationId, [contact('+14155552501')]);
    await claimedByADeadReplica(id as string);
    const sid = await acceptedByTwilio({ To: '+14155552501', From: '+14155550151', Body: 'Hi Dana, your case CAS-7 was created.' });
    twilio.requests.length = 0;

    expect(await sendRound(replica)).toBe(1);

    expect((await messages([id as string]))[0]).toMatchObject({ status: 'sent', providerMessageId: sid, unconfirmedSince: null });
    expect(creates()).toHaveLength(0);
    expect([...twilio.messages.values()].filter((message) => message.to === '+14155552501')).toHaveLength(1);
    const events = await app.outbox({ key: id });
    expect(events.map((row) => row.envelope.type)).toEqual(['switchboard.messaging.MessageQueued', 'switchboard.messaging.MessageSent']);
    expect(events[1]?.envelope['data']).toMatchObject({ providerMessageId: sid });
  });

  it('OM3.3 issue 11 an identical earlier message already recorded (same number, same text) is not taken for the one in doubt: that one is sent', async () => {
    const { configurationId } = await createConfiguration(app, { channel: { sender: '+14155550152', messagesPerSecond: 100 } });
    const before = new Date(Date.now() - 2_000);
    const [first] = await invoke(configurationId, [contact('+14155552601')]);
    await sendRound();
    const [second] = await invoke(configurationId, [contact('+14155552601')]);
    await claimedByADeadReplica(second as string, before);
    twilio.requests.length = 0;

    await sendRound(replica);

    const [sentFirst, sentSecond] = [(await messages([first as string]))[0], (await messages([second as string]))[0]];
    expect(sentSecond).toMatchObject({ status: 'sent' });
    expect(sentSecond?.providerMessageId).not.toBe(sentFirst?.providerMessageId);
    expect(lookups()).toHaveLength(1);
    expect(creates()).toHaveLength(1);
    expect([...twilio.messages.values()].filter((message) => message.to === '+14155552601')).toHaveLength(2);
  });

  it('OM3.3 issue 11 a lookup of a message in doubt that fails keeps it in doubt and sends nothing; the next try looks again', async () => {
    const { configurationId } = await createConfiguration(app, { channel: { sender: '+14155550153', messagesPerSecond: 100 } });
    const [id] = await invoke(configurationId, [contact('+14155552701')]);
    await claimedByADeadReplica(id as string);
    const sid = await acceptedByTwilio({ To: '+14155552701', From: '+14155550153', Body: 'Hi Dana, your case CAS-7 was created.' });
    twilio.requests.length = 0;
    twilio.failNext({ status: 401, code: 20003, message: 'Authenticate' });

    await sendRound(replica);
    expect((await messages([id as string]))[0]).toMatchObject({ status: 'queued', unconfirmedSince: expect.any(Date) });
    await app.prisma.outboundMessage.update({ where: { id }, data: { dueAt: new Date() } });
    await sendRound(replica);

    expect((await messages([id as string]))[0]).toMatchObject({ status: 'sent', providerMessageId: sid });
    expect(creates()).toHaveLength(0);
  });
});
