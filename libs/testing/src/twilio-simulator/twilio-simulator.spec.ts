import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookCollector } from '../messaging-simulator-kit';
import { twilioSignature } from './twilio-signature';
import { TwilioSimulator } from './twilio-simulator';
import { twilioSid } from './twilio-wire';

describe('Twilio simulator: the Messages API as Twilio documents it (OM3.4)', () => {
  let simulator: TwilioSimulator;
  let hooks: WebhookCollector;
  const send = (params: Record<string, string>, auth = `${simulator.account.accountSid}:${simulator.account.authToken}`) =>
    fetch(`${simulator.url}/2010-04-01/Accounts/${simulator.account.accountSid}/Messages.json`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(auth).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
  const codeOf = async (params: Record<string, string>) => ((await (await send(params)).json()) as { code: number }).code;

  beforeAll(async () => {
    simulator = await TwilioSimulator.start({ autoAdvance: false });
    hooks = await WebhookCollector.start();
  });
  afterAll(async () => {
    await Promise.all([simulator.close(), hooks.close()]);
  });

  it.each([
    ['no To', 21604, { From: '+18005550199', Body: 'x' }],
    ['no From nor MessagingServiceSid', 21603, { To: '+14155550123', Body: 'x' }],
    ['no Body nor ContentSid', 21602, { To: '+14155550123', From: '+18005550199' }],
    ['an invalid To', 21211, { To: '555', From: '+18005550199', Body: 'x' }],
    ['an invalid From', 21212, { To: '+14155550123', From: 'x!', Body: 'x' }],
    ['a body over 1600 characters', 21617, { To: '+14155550123', From: '+18005550199', Body: 'x'.repeat(1601) }],
    ['a malformed ContentSid', 21655, { To: 'whatsapp:+14155550123', From: 'whatsapp:+18005550199', ContentSid: 'HX1' }],
    ['ContentVariables that are not a JSON object of strings', 21656, { To: 'whatsapp:+14155550123', From: 'whatsapp:+18005550199', ContentSid: `HX${'a'.repeat(32)}`, ContentVariables: '[1]' }],
    ['a WhatsApp sender to an SMS recipient', 21910, { To: '+14155550123', From: 'whatsapp:+18005550199', Body: 'x' }],
  ])('OM3.4 refuses %s with Twilio error %s', async (_case, code, params) => {
    expect(await codeOf(params)).toBe(code);
  });

  it('OM3.4 refuses wrong credentials with 401 / 20003 and the error shape', async () => {
    const response = await send({ To: '+14155550123', From: '+18005550199', Body: 'x' }, `${simulator.account.accountSid}:wrong`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
  });

  it('OM3.4 answers 201 with the message resource and signs the queued callback', async () => {
    const response = await send({ To: '+14155550123', From: '+18005550199', Body: 'Grüße', StatusCallback: `${hooks.url}/status` });
    expect(response.status).toBe(201);
    const message = (await response.json()) as Record<string, unknown>;
    expect(message).toMatchObject({ status: 'queued', direction: 'outbound-api', num_segments: '1', to: '+14155550123', from: '+18005550199', api_version: '2010-04-01' });
    await simulator.settled();
    const hook = hooks.received.at(-1);
    const params = Object.fromEntries(new URLSearchParams(hook?.body));
    expect(params).toMatchObject({ MessageSid: message['sid'], MessageStatus: 'queued' });
    expect(hook?.headers['x-twilio-signature']).toBe(twilioSignature(simulator.account.authToken, `${hooks.url}/status`, params));
  });

  it('OM3.4 statusCallbacks "final" posts only the final status; requests carry their arrival time', async () => {
    const quiet = await TwilioSimulator.start({ statusStepDelayMs: 1, statusCallbacks: 'final' });
    const auth = `Basic ${Buffer.from(`${quiet.account.accountSid}:${quiet.account.authToken}`).toString('base64')}`;
    const before = hooks.received.length;
    await fetch(`${quiet.url}/2010-04-01/Accounts/${quiet.account.accountSid}/Messages.json`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ To: '+14155550123', From: '+18005550199', Body: 'x', StatusCallback: `${hooks.url}/final` }).toString(),
    });
    await quiet.settled();
    expect(hooks.received.slice(before).map((hook) => new URLSearchParams(hook.body).get('MessageStatus'))).toEqual(['delivered']);
    expect(quiet.requests[0]?.receivedAt).toBeInstanceOf(Date);
    await quiet.close();
  });

  it('OM5.2 after an inbound STOP Twilio refuses that sender→customer pair with 21610 until START', async () => {
    const params = { To: '+14155550177', From: '+18005550199', Body: 'x' };
    await simulator.injectInbound({ from: '+14155550177', to: '+18005550199', body: ' stop ', url: `${hooks.url}/inbound` });
    expect(new URLSearchParams(hooks.received.at(-1)?.body).get('OptOutType')).toBe('STOP');
    expect(await codeOf(params)).toBe(21610);
    expect((await send({ ...params, From: '+18005550100' })).status).toBe(201);
    await simulator.injectInbound({ from: '+14155550177', to: '+18005550199', body: 'START', url: `${hooks.url}/inbound` });
    expect((await send(params)).status).toBe(201);
  });

  it('OM3.4 failures and inbound messages can be ordered over HTTP by another process', async () => {
    const control = (path: string, body: unknown) => fetch(`${simulator.url}/_simulator/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await control('faults', { status: 429, retryAfterSeconds: 2 })).status).toBe(204);
    const throttled = await send({ To: '+14155550123', From: '+18005550199', Body: 'x' });
    expect([throttled.status, throttled.headers.get('retry-after'), ((await throttled.json()) as { code: number }).code]).toEqual([429, '2', 20429]);
    expect((await control('faults', { recipient: '+14155550100', type: 'reject', code: 21610 })).status).toBe(204);
    expect(await codeOf({ To: '+14155550100', From: '+18005550199', Body: 'x' })).toBe(21610);
    expect((await control('faults', { nonsense: true })).status).toBe(400);

    const inbound = await control('inbound', { from: '+14155550123', to: '+18005550199', body: 'STOP', url: `${hooks.url}/inbound` });
    expect(inbound.status).toBe(200);
    expect(Object.fromEntries(new URLSearchParams(hooks.received.at(-1)?.body))).toMatchObject({ From: '+14155550123', To: '+18005550199', Body: 'STOP', SmsStatus: 'received' });
  });
});

describe('Twilio simulator: SIDs and benchmark settings', () => {
  it('OM3.4 SIDs are two letters and 32 hex digits, distinct across many (past a refill of the random pool)', () => {
    const sids = Array.from({ length: 1_000 }, () => twilioSid('SM'));
    expect(sids.every((sid) => /^SM[0-9a-f]{32}$/.test(sid))).toBe(true);
    expect(new Set(sids).size).toBe(sids.length);
  });

  it('OM3.4 with recordRequests false it answers as usual and keeps nothing', async () => {
    const quiet = await TwilioSimulator.start({ recordRequests: false, statusCallbacks: 'none', statusStepDelayMs: 1 });
    const auth = `Basic ${Buffer.from(`${quiet.account.accountSid}:${quiet.account.authToken}`).toString('base64')}`;
    const response = await fetch(`${quiet.url}/2010-04-01/Accounts/${quiet.account.accountSid}/Messages.json`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ To: '+14155550123', From: '+18005550199', Body: 'x' }).toString(),
    });
    expect(response.status).toBe(201);
    const { sid } = (await response.json()) as { sid: string };
    await quiet.settled();
    expect(quiet.requests).toEqual([]);
    expect(quiet.messages.get(sid)?.status).toBe('delivered');
    await quiet.close();
  });
});
