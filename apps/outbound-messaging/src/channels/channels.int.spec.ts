import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { created, send, SIMULATOR_CHANNEL, SUPERVISOR, TENANT_B, TWILIO_CHANNEL } from '../test-support/fixtures';
import { type MessagingTestApp, startMessagingTestApp } from '../test-support/test-app';
import { ChannelsService } from './channels.service';

const PATH = '/outbound/channels';
const TOKEN = TWILIO_CHANNEL.credentials.authToken;
type Error = { error: { code: string; details: { field: string; message: string }[] } };

describe('sending channels API (OM2.1, OM3.4; P2.4 sealed write-only credentials, P2.5 checked URLs)', () => {
  let app: MessagingTestApp;

  beforeAll(async () => {
    app = await startMessagingTestApp({ OUTBOUND_HTTP_ALLOW: '127.0.0.2/32' });
  }, 60_000);
  afterAll(() => app?.close());
  beforeEach(() => app.prisma.outboundChannel.deleteMany({}));

  it('OM3.4 P2.4 stores a Twilio channel: sender normalised, throughput by sender type, the token sealed and never shown', async () => {
    const answer = await send(app, 'POST', PATH, { ...TWILIO_CHANNEL, sender: '+1 (415) 555-2671' });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ provider: 'twilio', sender: '+14155552671', senderType: 'long_code', messagesPerSecond: 1, credentialsSet: true, account: TWILIO_CHANNEL.account });
    const id = (answer.body as { id: string }).id;
    expect(JSON.stringify((await send(app, 'GET', `${PATH}/${id}`)).body)).not.toContain(TOKEN);
    const row = await app.prisma.outboundChannel.findUniqueOrThrow({ where: { id } });
    expect(row.credentialsSealed).toMatch(/^v1:/);
    expect(JSON.stringify(row)).not.toContain(TOKEN);
    expect(app.app.get(ChannelsService).opened(row)).toMatchObject({ provider: 'twilio', credentials: { authToken: TOKEN } });
  });

  it.each([
    ['a toll-free number: 3/s', { sender: '+18005550199' }, 'toll_free', 3],
    ['a short code: 100/s', { sender: '72345' }, 'short_code', 100],
    ['a configured limit wins', { sender: '72345', messagesPerSecond: 30 }, 'short_code', 30],
  ])('OM3.4 per-sender throughput: %s', async (_case, override, senderType, perSecond) => {
    const answer = await send(app, 'POST', PATH, { ...TWILIO_CHANNEL, ...override });
    expect(answer.body).toMatchObject({ senderType, messagesPerSecond: perSecond });
  });

  it('P2.4 credentials are write-only: left out they are kept; a new account needs its own', async () => {
    const id = await created(app, PATH, TWILIO_CHANNEL);
    const sealed = (await app.prisma.outboundChannel.findUniqueOrThrow({ where: { id } })).credentialsSealed;
    const { credentials: _left, ...withoutCredentials } = TWILIO_CHANNEL;
    expect((await send(app, 'PUT', `${PATH}/${id}`, { ...withoutCredentials, messagesPerSecond: 2 })).status).toBe(200);
    expect((await app.prisma.outboundChannel.findUniqueOrThrow({ where: { id } })).credentialsSealed).toBe(sealed);

    const otherAccount = await send<Error>(app, 'PUT', `${PATH}/${id}`, { ...withoutCredentials, account: { accountSid: 'AC' + 'f'.repeat(32) } });
    expect(otherAccount.status).toBe(400);
    expect(otherAccount.body.error.details.map((d) => d.field)).toEqual(['credentials.authToken']);
  });

  it('P1.1 P1.3 administrators only; another tenant gets 404', async () => {
    const id = await created(app, PATH, SIMULATOR_CHANNEL);
    expect((await send(app, 'GET', `${PATH}/${id}`, undefined, { tenantId: TENANT_B })).status).toBe(404);
    expect((await send(app, 'DELETE', `${PATH}/${id}`, undefined, { tenantId: TENANT_B })).status).toBe(404);
    expect((await send(app, 'GET', PATH, undefined, { roles: SUPERVISOR })).status).toBe(403);
  });

  it.each([
    ['a sender that is no number', { sender: '+1234' }, 'sender'],
    ['an alphanumeric sender over 11 characters', { sender: 'Contoso Support' }, 'sender'],
    ['a Twilio account SID of another shape', { account: { accountSid: 'AC123' } }, 'account.accountSid'],
    ['an unknown provider', { provider: 'telesign' }, 'provider'],
    ['a zero throughput', { messagesPerSecond: 0 }, 'messagesPerSecond'],
    ['an auth token with a line break', { credentials: { authToken: 'a\r\nb' } }, 'credentials.authToken'],
    ['WhatsApp through ACS', { provider: 'acs', channelType: 'whatsapp', account: { endpoint: 'https://contoso.communication.azure.com' }, credentials: { accessKey: 'a2V5' } }, 'provider'],
    ['a new Twilio channel without credentials', { credentials: undefined }, 'credentials.authToken'],
    ['an Event Grid secret that cannot stand in a URL', { provider: 'acs', account: { endpoint: 'https://contoso.communication.azure.com' }, credentials: { accessKey: 'a2V5', eventGridSecret: 'short&secret=1' } }, 'credentials.eventGridSecret'],
  ])('OM2.1 %s → 400 naming the field, nothing stored', async (_case, override, field) => {
    const answer = await send<Error>(app, 'POST', PATH, { ...TWILIO_CHANNEL, ...override });
    expect(answer.status, JSON.stringify(answer.body)).toBe(400);
    expect(answer.body.error.details.map((d) => d.field)).toContain(field);
    expect(await app.prisma.outboundChannel.count()).toBe(0);
  });

  it('P2.5 a provider URL at a private or metadata address → 422 UrlNotAllowed; an allow-listed simulator is accepted', async () => {
    const metadata = await send<Error>(app, 'POST', PATH, { ...TWILIO_CHANNEL, account: { ...TWILIO_CHANNEL.account, apiBaseUrl: 'http://169.254.169.254/' } });
    expect(metadata.status).toBe(422);
    expect(metadata.body.error).toMatchObject({ code: 'UrlNotAllowed', details: [{ field: 'account.apiBaseUrl' }] });
    const acs = await send<Error>(app, 'POST', PATH, { ...TWILIO_CHANNEL, provider: 'acs', account: { endpoint: 'http://10.0.0.5/' }, credentials: { accessKey: 'a2V5' } });
    expect(acs.status).toBe(422);
    expect(await app.prisma.outboundChannel.count()).toBe(0);
    expect((await send(app, 'POST', PATH, { ...TWILIO_CHANNEL, account: { ...TWILIO_CHANNEL.account, apiBaseUrl: 'http://127.0.0.2:4010' } })).status).toBe(201);
  });
});
