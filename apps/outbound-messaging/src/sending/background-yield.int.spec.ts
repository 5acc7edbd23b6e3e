import { ServiceLifecycle } from '@switchboard/service-kit';
import { eventually, TwilioSimulator } from '@switchboard/testing';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVOKE_PATH } from '../invoke/invoke.controller';
import type { InvokeResponse } from '../invoke/invoke.schema';
import { createConfiguration, send, SUPERVISOR } from '../test-support/fixtures';
import { type MessagingTestApp, startMessagingTestApp } from '../test-support/test-app';

const YIELD_MS = 5_000;

describe('sending and the outbox relay give way to requests (issue 11, BACKGROUND_YIELD_MS)', () => {
  let twilio: TwilioSimulator;
  let app: MessagingTestApp;
  let configurationId: string;
  const held: Socket[] = [];

  beforeAll(async () => {
    twilio = await TwilioSimulator.start({ autoAdvance: false });
    app = await startMessagingTestApp({
      SEND_POLL_MS: '50',
      BACKGROUND_YIELD_MS: String(YIELD_MS),
      OUTBOUND_HTTP_ALLOW: '127.0.0.1',
      MESSAGING_SIMULATOR_URL: twilio.url,
      MESSAGING_SIMULATOR_ACCOUNT_SID: twilio.account.accountSid,
      MESSAGING_SIMULATOR_AUTH_TOKEN: twilio.account.authToken,
    });
    ({ configurationId } = await createConfiguration(app, { channel: { sender: '+14155550178', messagesPerSecond: 100 } }));
  }, 90_000);
  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await app?.close();
    await twilio?.close();
  });

  /** A request whose body never comes: in flight (counted from its headers on) until the socket closes. */
  async function holdRequestOpen(): Promise<Socket> {
    const lifecycle = app.app.get(ServiceLifecycle);
    const before = lifecycle.requestsInFlight;
    const { hostname, port } = new URL(app.url);
    const socket = connect(Number(port), hostname);
    held.push(socket);
    socket.on('error', () => undefined);
    socket.write(`POST /outbound/templates HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`);
    await eventually(async () => (lifecycle.requestsInFlight > before ? true : undefined), 'the held request to be in flight', 5_000);
    return socket;
  }

  async function invokeOne(to: string): Promise<string> {
    const answer = await send<InvokeResponse>(app, 'POST', `/${INVOKE_PATH}`, { msdyn_ocoutboundconfigurationid: configurationId, ContactList: [{ tocontactid: to, channelid: 'sms', option: true, CustomerName: 'Dana', CaseName: 'CAS-9' }] }, { roles: SUPERVISOR });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.ContactList[0]?.messageId as string;
  }

  const statusOf = async (id: string) => (await app.prisma.outboundMessage.findUniqueOrThrow({ where: { id } })).status;
  const publishedAt = async (id: string) => (await app.outbox({ key: id }))[0]?.publishedAt ?? null;

  it('issue 11 while a request is in flight nothing is claimed or relayed; once none is, the message is sent and its event relayed at once', async () => {
    const request = await holdRequestOpen();
    const id = await invokeOne('+14155553101');

    await sleep(1_000);
    expect(await statusOf(id)).toBe('queued');
    expect(await publishedAt(id)).toBeNull();
    expect(twilio.requests.filter((entry) => entry.params['To'] === '+14155553101')).toEqual([]);

    const released = Date.now();
    request.destroy();
    await eventually(async () => ((await statusOf(id)) === 'sent' ? true : undefined), 'the message to be sent', 10_000);
    await eventually(async () => ((await publishedAt(id)) ? true : undefined), 'its MessageQueued to be relayed', 10_000);
    // Well before the yield's bound: the lull, not the bound, let it go.
    expect(Date.now() - released).toBeLessThan(YIELD_MS - 1_500);
  });

  it('issue 11 requests that never stop still leave a round per BACKGROUND_YIELD_MS: the message is sent, not starved', async () => {
    const request = await holdRequestOpen();
    const id = await invokeOne('+14155553102');

    await sleep(1_000);
    expect(await statusOf(id)).toBe('queued');
    await eventually(async () => ((await statusOf(id)) === 'sent' ? true : undefined), 'the message to be sent while the request is still in flight', YIELD_MS + 10_000);
    await eventually(async () => ((await publishedAt(id)) ? true : undefined), 'its MessageQueued to be relayed', YIELD_MS + 10_000);
    expect(request.destroyed).toBe(false);
    request.destroy();
  }, 60_000);
});
