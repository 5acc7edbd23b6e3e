import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acsContentHash, acsSignature, acsStringToSign } from './acs-hmac';
import { AcsSmsSimulator } from './acs-sms-simulator';

describe('ACS SMS simulator: HMAC-SHA256 verification as ACS does it (OM3.4)', () => {
  let simulator: AcsSmsSimulator;
  const body = JSON.stringify({ from: '+18335550100', smsRecipients: [{ to: '+14155550123' }], message: 'hello' });
  const post = (options: { date?: Date; key?: string; sentBody?: string; hashOf?: string; path?: string } = {}) => {
    const url = new URL(options.path ?? '/sms?api-version=2021-03-07', simulator.url);
    const date = (options.date ?? new Date()).toUTCString();
    const hash = acsContentHash(options.hashOf ?? body);
    const signature = acsSignature(options.key ?? simulator.accessKey, acsStringToSign('POST', `${url.pathname}${url.search}`, date, url.host, hash));
    return fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ms-date': date, 'x-ms-content-sha256': hash, authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}` },
      body: options.sentBody ?? body,
    });
  };

  beforeAll(async () => {
    simulator = await AcsSmsSimulator.start();
  });
  afterAll(() => simulator.close());

  it('OM3.4 accepts a correctly signed request (202, per-recipient value[])', async () => {
    const response = await post();
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ value: [{ to: '+14155550123', messageId: expect.stringMatching(/^Outgoing_/), httpStatusCode: 202, repeatabilityResult: 'accepted', successful: true }] });
  });

  it('OM3.4 refuses a body that does not match x-ms-content-sha256', async () => {
    expect((await post({ sentBody: body.replace('hello', 'HELLO') })).status).toBe(401);
  });

  it('OM3.4 refuses a signature made with another key, and a stale x-ms-date', async () => {
    expect((await post({ key: Buffer.alloc(32, 1).toString('base64') })).status).toBe(401);
    expect((await post({ date: new Date(Date.now() - 16 * 60_000) })).status).toBe(401);
  });

  it('OM3.4 refuses an unsupported api-version and more than 100 recipients with ACS error bodies', async () => {
    expect((await post({ path: '/sms?api-version=1999-01-01' })).status).toBe(400);
    const many = JSON.stringify({ from: '+18335550100', smsRecipients: Array.from({ length: 101 }, () => ({ to: '+14155550123' })), message: 'x' });
    const response = await post({ sentBody: many, hashOf: many });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: 'BadRequest', message: 'At most 100 recipients per request.' } });
  });

  it('OM3.4 a repeated repeatabilityRequestId is answered from the first result and not sent again', async () => {
    const once = JSON.stringify({ from: '+18335550100', smsRecipients: [{ to: '+14155550199', repeatabilityRequestId: 'a0f4c9b2-0000-4000-8000-000000000001' }], message: 'once' });
    const first = (await (await post({ sentBody: once, hashOf: once })).json()) as { value: Array<{ messageId: string }> };
    const size = simulator.messages.size;
    const second = (await (await post({ sentBody: once, hashOf: once })).json()) as { value: Array<{ messageId: string }> };
    expect(second.value[0]?.messageId).toBe(first.value[0]?.messageId);
    expect(simulator.messages.size).toBe(size);
  });

  it('OM3.4 issue 11 repeatable requests as ACS documents them: a first-sent time outside the 5 minute window is refused with 412, a differing repeat or a malformed id with 400', async () => {
    const recipient = (overrides: Record<string, string>) => ({ to: '+14155550198', repeatabilityRequestId: 'a0f4c9b2-0000-4000-8000-000000000002', repeatabilityFirstSent: new Date().toUTCString(), ...overrides });
    const answer = async (recipientFields: Record<string, string>, message = 'first') => {
      const sent = JSON.stringify({ from: '+18335550100', smsRecipients: [recipient(recipientFields)], message });
      return ((await (await post({ sentBody: sent, hashOf: sent })).json()) as { value: Array<Record<string, unknown>> }).value[0];
    };
    const size = simulator.messages.size;

    expect(await answer({ repeatabilityFirstSent: new Date(Date.now() - 6 * 60_000).toUTCString() })).toMatchObject({ httpStatusCode: 412, repeatabilityResult: 'rejected', successful: false });
    expect(await answer({ repeatabilityRequestId: 'not-a-guid' })).toMatchObject({ httpStatusCode: 400, repeatabilityResult: 'rejected' });
    expect(await answer({ repeatabilityFirstSent: '2026-12-03T10:00:00Z' })).toMatchObject({ httpStatusCode: 400, repeatabilityResult: 'rejected' });
    expect(simulator.messages.size).toBe(size);
    expect(await answer({})).toMatchObject({ httpStatusCode: 202, successful: true });
    expect(await answer({}, 'another text')).toMatchObject({ httpStatusCode: 400, repeatabilityResult: 'rejected', successful: false });
    expect(simulator.messages.size).toBe(size + 1);
  });
});
