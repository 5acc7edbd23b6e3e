import { OutboundHttpClient } from '@switchboard/outbound-http';
import { type CollectedWebhook, TwilioSimulator, WebhookCollector } from '@switchboard/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { withProviderSimulation } from '../../test-support/provider-simulator';
import { type OutgoingMessage, ProviderSendError } from '../messaging-provider';
import twilio from 'twilio';
import { TwilioProvider, twilioMessageRequest } from './twilio-provider';
import { GuardedTwilioRequestClient } from './twilio-request-client';
import { readTwilioInbound, readTwilioStatusCallback, type TwilioWebhookRequest } from './twilio-webhooks';

const SENDER = '+15005550006';
const CUSTOMER = '+14155550123';
const NOW = new Date('2026-12-02T10:00:00Z');

describe('Twilio provider through the real twilio SDK against the Twilio simulator (OM3.4)', () => {
  let simulator: TwilioSimulator;
  let hooks: WebhookCollector;
  let http: OutboundHttpClient;
  let provider: TwilioProvider;
  const sms = (overrides: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
    channel: 'sms',
    from: SENDER,
    to: CUSTOMER,
    body: 'Hello Kim, your case CAS-1 is open.',
    statusCallbackUrl: `${hooks.url}/twilio/status?tenant=t1`,
    clientReference: 'msg-1',
    ...overrides,
  });
  const asTwilioRequest = (hook: CollectedWebhook): TwilioWebhookRequest => ({
    url: hook.url,
    signature: hook.headers['x-twilio-signature'],
    params: Object.fromEntries(new URLSearchParams(hook.body)),
  });

  withProviderSimulation(async () => {
    simulator = await TwilioSimulator.start({ statusStepDelayMs: 5, accounts: [{ accountSid: `AC${'a'.repeat(32)}`, authToken: 'token-1', apiKeys: [{ sid: `SK${'b'.repeat(32)}`, secret: 'key-secret' }] }] });
    hooks = await WebhookCollector.start();
    http = new OutboundHttpClient({ allow: ['127.0.0.1/32'] });
    provider = new TwilioProvider({ accountSid: simulator.account.accountSid, authToken: 'token-1', apiBaseUrl: simulator.url }, http, 'simulator');
    return { simulator, hooks, http };
  });

  it('OM3.4 sends an SMS as Twilio form parameters with Basic auth and returns the message SID', async () => {
    const sent = await provider.send(sms());

    expect(sent).toEqual({ providerMessageId: expect.stringMatching(/^SM[0-9a-f]{32}$/), status: 'queued' });
    const [request] = simulator.requests;
    expect(request?.path).toBe(`/2010-04-01/Accounts/${simulator.account.accountSid}/Messages.json`);
    expect(request?.params).toEqual({ To: CUSTOMER, From: SENDER, Body: 'Hello Kim, your case CAS-1 is open.', StatusCallback: `${hooks.url}/twilio/status?tenant=t1` });
    expect(request?.headers['user-agent']).toMatch(/^twilio-node\//);
  });

  it('OM3.4 signed status callbacks queued → sent → delivered verify and parse into delivery reports', async () => {
    const { providerMessageId } = await provider.send(sms());
    await simulator.settled();

    const readings = hooks.received.map((hook) => readTwilioStatusCallback('token-1', asTwilioRequest(hook), NOW));
    expect(readings).toEqual([
      { outcome: 'ignored', reason: 'status queued needs no update' },
      { outcome: 'accepted', value: { providerMessageId, status: 'sent', occurredAt: NOW } },
      { outcome: 'accepted', value: { providerMessageId, status: 'delivered', occurredAt: NOW } },
    ]);
  });

  it('OM3.4 sends WhatsApp approved templates as ContentSid + ContentVariables with whatsapp: addresses', async () => {
    const contentSid = `HX${'c'.repeat(32)}`;
    await provider.send(sms({ channel: 'whatsapp', body: undefined, whatsappTemplate: { id: contentSid, variables: { '1': 'Kim', '2': 'CAS-1' } } }));

    expect(simulator.requests[0]?.params).toMatchObject({ To: `whatsapp:${CUSTOMER}`, From: `whatsapp:${SENDER}`, ContentSid: contentSid, ContentVariables: '{"1":"Kim","2":"CAS-1"}' });
    expect(simulator.requests[0]?.params['Body']).toBeUndefined();
  });

  it('OM3.4 a Messaging Service SID as sender is sent as MessagingServiceSid', async () => {
    const service = `MG${'d'.repeat(32)}`;
    await provider.send(sms({ from: service }));
    expect(simulator.requests[0]?.params).toMatchObject({ MessagingServiceSid: service });
    expect(simulator.requests[0]?.params['From']).toBeUndefined();
  });

  it('OM3.4 authenticates with an API key instead of the auth token', async () => {
    const withKey = new TwilioProvider({ accountSid: simulator.account.accountSid, apiKeySid: `SK${'b'.repeat(32)}`, authToken: 'key-secret', apiBaseUrl: simulator.url }, http);
    await expect(withKey.send(sms())).resolves.toMatchObject({ status: 'queued' });
  });

  it('OM3.4 wrong credentials are a final error with Twilio code 20003', async () => {
    const wrong = new TwilioProvider({ accountSid: simulator.account.accountSid, authToken: 'wrong', apiBaseUrl: simulator.url }, http);
    const error = await wrong.send(sms()).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ProviderSendError);
    expect(error).toMatchObject({ retryable: false, providerCode: '20003' });
  });

  it('OM3.4 a 429 (error 20429) is retryable after the Retry-After it gave', async () => {
    simulator.failNext({ status: 429, retryAfterSeconds: 7 });
    const error = await provider.send(sms()).catch((failure: unknown) => failure);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 7000, providerCode: '20429' });
    await expect(provider.send(sms())).resolves.toMatchObject({ status: 'queued' });
  });

  it('OM3.4 a 5xx is retryable; the next N requests fail on demand', async () => {
    simulator.failNext({ status: 503, times: 2 });
    for (let attempt = 0; attempt < 2; attempt++) await expect(provider.send(sms())).rejects.toMatchObject({ retryable: true, providerCode: '20500' });
    await expect(provider.send(sms())).resolves.toMatchObject({ status: 'queued' });
  });

  it('OM3.4 a full sender queue (400, error 21611) is retryable', async () => {
    simulator.failNext({ status: 400, code: 21611, message: "This 'From' number has exceeded the maximum number of queued messages" });
    await expect(provider.send(sms())).rejects.toMatchObject({ retryable: true, providerCode: '21611' });
  });

  it('OM3.4 an invalid number is final with Twilio code 21211; a recipient can be refused on demand', async () => {
    await expect(provider.send(sms({ to: '12345' }))).rejects.toMatchObject({ retryable: false, providerCode: '21211' });
    simulator.failRecipient(CUSTOMER, { type: 'reject', code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    const error = await provider.send(sms()).catch((failure: unknown) => failure);
    expect(error).toMatchObject({ retryable: false, providerCode: '21610' });
    expect((error as Error).message).toContain('unsubscribed recipient');
  });

  it('OM3.4 a recipient reported undelivered on demand gives an undelivered report with its error code', async () => {
    simulator.failRecipient(CUSTOMER, { type: 'undelivered', errorCode: 30003 });
    const { providerMessageId } = await provider.send(sms());
    await simulator.settled();
    const last = readTwilioStatusCallback('token-1', asTwilioRequest(hooks.received.at(-1) as CollectedWebhook), NOW);
    expect(last).toEqual({ outcome: 'accepted', value: { providerMessageId, status: 'undelivered', errorCode: '30003', errorMessage: 'unreachable destination handset', occurredAt: NOW } });
  });

  it('OM3.4 an unreachable Twilio is retryable; an address the guard refuses is final', async () => {
    const closed = await TwilioSimulator.start();
    const url = closed.url;
    await closed.close();
    const unreachable = new TwilioProvider({ accountSid: simulator.account.accountSid, authToken: 'token-1', apiBaseUrl: url }, http);
    await expect(unreachable.send(sms())).rejects.toMatchObject({ retryable: true, providerCode: 'transport:network' });

    const guarded = new OutboundHttpClient();
    const refused = new TwilioProvider({ accountSid: simulator.account.accountSid, authToken: 'token-1', apiBaseUrl: simulator.url }, guarded);
    await expect(refused.send(sms())).rejects.toMatchObject({ retryable: false, providerCode: 'transport:address-refused' });
    await guarded.close();
  });

  it('OM5.1 an inbound SMS and a WhatsApp reply are verified and parsed', async () => {
    await simulator.injectInbound({ from: CUSTOMER, to: SENDER, body: 'STOP', url: `${hooks.url}/twilio/inbound` });
    await simulator.injectInbound({ from: CUSTOMER, to: SENDER, body: 'Thanks!', channel: 'whatsapp', url: `${hooks.url}/twilio/inbound` });

    const [sms1, whatsapp] = hooks.received.map((hook) => readTwilioInbound('token-1', asTwilioRequest(hook), NOW));
    expect(sms1).toEqual({ outcome: 'accepted', value: { providerMessageId: expect.stringMatching(/^SM/), channel: 'sms', from: CUSTOMER, to: SENDER, body: 'STOP', receivedAt: NOW } });
    expect(whatsapp).toMatchObject({ outcome: 'accepted', value: { channel: 'whatsapp', from: CUSTOMER, to: SENDER, body: 'Thanks!' } });
  });

  describe('X-Twilio-Signature checks (OM3.4, OM5.1)', () => {
    let hook: TwilioWebhookRequest;
    beforeAll(async () => {
      await simulator.injectInbound({ from: CUSTOMER, to: SENDER, body: 'Hi', url: `${hooks.url}/twilio/inbound?tenant=t1` });
      hook = asTwilioRequest(hooks.received.at(-1) as CollectedWebhook);
    });

    it('OM5.1 accepts the valid signature', () => {
      expect(readTwilioInbound('token-1', hook, NOW).outcome).toBe('accepted');
    });
    it('OM5.1 refuses a missing signature', () => {
      expect(readTwilioInbound('token-1', { ...hook, signature: undefined }, NOW)).toEqual({ outcome: 'rejected', status: 403, reason: 'the X-Twilio-Signature header is missing' });
    });
    it('OM5.1 refuses a forged signature and tampered parameters', () => {
      expect(readTwilioInbound('token-1', { ...hook, signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' }, NOW).outcome).toBe('rejected');
      expect(readTwilioInbound('token-1', { ...hook, params: { ...hook.params, Body: 'STOP' } }, NOW).outcome).toBe('rejected');
    });
    it('OM5.1 refuses the same request replayed to another URL (another tenant)', () => {
      expect(readTwilioInbound('token-1', { ...hook, url: hook.url.replace('tenant=t1', 'tenant=t2') }, NOW).outcome).toBe('rejected');
    });
    it('OM5.1 refuses a signature made with another auth token', () => {
      expect(readTwilioInbound('other-token', hook, NOW).outcome).toBe('rejected');
    });
    it('OM3.4 a status callback without MessageStatus is 400', () => {
      const { MessageStatus: _status, SmsStatus: _sms, ...params } = hook.params;
      expect(readTwilioStatusCallback('token-1', { ...hook, params }, NOW)).toMatchObject({ outcome: 'rejected' });
    });
  });

  it('OM3.4 the request client signs each call with the credentials the SDK gives it (its cached header never outlives them)', async () => {
    const client = new GuardedTwilioRequestClient(http, simulator.url);
    const list = (password: string) =>
      client.request({ method: 'get', uri: `https://api.twilio.com/2010-04-01/Accounts/${simulator.account.accountSid}/Messages.json`, username: simulator.account.accountSid, password });

    expect((await list('token-1')).statusCode).toBe(200);
    expect((await list('not-the-token')).statusCode).toBe(401);
    expect((await list('token-1')).statusCode).toBe(200);
  });

  describe('the Messages list resource, for messages in doubt (issue 11)', () => {
    const LISTED = '+14155550177';
    const sdk = () => twilio(simulator.account.accountSid, 'token-1', { httpClient: new GuardedTwilioRequestClient(http, simulator.url), autoRetry: false });
    const sendBodies = async (to: string, bodies: string[]) => {
      for (const body of bodies) await provider.send(sms({ to, body }));
    };

    it('OM3.4 through the SDK: filtered by To and From, newest first, paged by next_page_uri with PageSize', async () => {
      await sendBodies(LISTED, ['m0', 'm1', 'm2', 'm3', 'm4']);
      await sendBodies('+14155550178', ['other']);

      const first = await sdk().messages.page({ to: LISTED, from: SENDER, pageSize: 2 });
      const second = await first.nextPage();
      const third = await second?.nextPage();

      expect(first.instances.map((message) => message.body)).toEqual(['m4', 'm3']);
      expect(second?.instances.map((message) => message.body)).toEqual(['m2', 'm1']);
      expect(third?.instances.map((message) => message.body)).toEqual(['m0']);
      expect(third?.nextPageUrl).toBeUndefined();
      expect(await sdk().messages.list({ to: LISTED, pageSize: 2 })).toHaveLength(5);
      expect(await sdk().messages.list({ to: LISTED, from: '+15005550009' })).toHaveLength(0);
    });

    it('OM3.4 through the SDK: DateSent filters (on or after, on or before) only match messages already sent', async () => {
      const quiet = await TwilioSimulator.start({ autoAdvance: false, accounts: [simulator.account] });
      try {
        const client = twilio(quiet.account.accountSid, 'token-1', { httpClient: new GuardedTwilioRequestClient(http, quiet.url), autoRetry: false });
        const queued = await client.messages.create({ to: LISTED, from: SENDER, body: 'still queued' });
        const sent = await client.messages.create({ to: LISTED, from: SENDER, body: 'sent' });
        await quiet.advance(sent.sid);
        const hourAgo = new Date(Date.now() - 3_600_000);

        expect((await client.messages.list({ to: LISTED, dateSentAfter: hourAgo })).map((message) => message.sid)).toEqual([sent.sid]);
        expect(await client.messages.list({ to: LISTED, dateSentBefore: hourAgo })).toHaveLength(0);
        expect((await client.messages.list({ to: LISTED })).map((message) => message.sid)).toEqual([sent.sid, queued.sid]);
      } finally {
        await quiet.close();
      }
    });

    it('OM3.3 findEarlierAttempts answers the messages with the same sender, recipient and text created since the given time', async () => {
      await sendBodies(LISTED, ['earlier text']);
      const since = new Date(Date.now() - 1_000);
      const sent = await provider.send(sms({ to: LISTED, body: 'the text' }));
      await sendBodies(LISTED, ['another text']);

      expect(await provider.findEarlierAttempts(sms({ to: LISTED, body: 'the text' }), since)).toEqual([{ providerMessageId: sent.providerMessageId, createdAt: expect.any(Date) }]);
      expect(await provider.findEarlierAttempts(sms({ to: LISTED, body: 'the text' }), new Date(Date.now() + 60_000))).toEqual([]);
      expect(await provider.findEarlierAttempts(sms({ to: LISTED, body: 'never sent' }), since)).toEqual([]);
    });
  });
});

describe('Twilio message parameters (OM3.4), pure', () => {
  const base: OutgoingMessage = { channel: 'sms', from: SENDER, to: CUSTOMER, body: 'hi', clientReference: 'm' };

  it('OM3.4 an approved template on SMS, or a message with neither body nor template, is final before any request', () => {
    expect(() => twilioMessageRequest({ ...base, whatsappTemplate: { id: `HX${'a'.repeat(32)}`, variables: {} } })).toThrow(expect.objectContaining({ retryable: false, providerCode: 'template-on-sms' }));
    expect(() => twilioMessageRequest({ ...base, body: undefined })).toThrow(expect.objectContaining({ retryable: false, providerCode: 'empty-message' }));
  });

  it('OM3.4 no StatusCallback is sent when the message names none', () => {
    expect(twilioMessageRequest(base)).toEqual({ to: CUSTOMER, from: SENDER, body: 'hi' });
  });
});
