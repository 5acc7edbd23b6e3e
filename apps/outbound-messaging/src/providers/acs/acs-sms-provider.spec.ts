import { OutboundHttpClient } from '@switchboard/outbound-http';
import { AcsSmsSimulator, type CollectedWebhook, WebhookCollector } from '@switchboard/testing';
import { describe, expect, it } from 'vitest';
import { withProviderSimulation } from '../../test-support/provider-simulator';
import { type OutgoingMessage, ProviderSendError } from '../messaging-provider';
import { readAcsEventGridRequest } from './acs-event-grid';
import { AcsSmsProvider } from './acs-sms-provider';

const SENDER = '+18335550100';
const CUSTOMER = '+14155550123';
const SECRET = 'event-grid-secret';

/** Answers Event Grid's handshake the way our controller does, from readAcsEventGridRequest. */
function answerLikeOurEndpoint(hook: CollectedWebhook): { status: number; body?: string } {
  const reading = readAcsEventGridRequest(SECRET, hook);
  if (reading.outcome === 'validation') return { status: 200, body: JSON.stringify({ validationResponse: reading.validationResponse }) };
  return { status: reading.outcome === 'rejected' ? reading.status : 200 };
}

describe('ACS SMS provider through the real @azure/communication-sms SDK against the ACS simulator (OM3.4)', () => {
  let simulator: AcsSmsSimulator;
  let hooks: WebhookCollector;
  let http: OutboundHttpClient;
  let provider: AcsSmsProvider;
  // Every message its own reference: the same reference is the same message (repeatability).
  let sequence = 0;
  const sms = (overrides: Partial<OutgoingMessage> = {}): OutgoingMessage => ({ channel: 'sms', from: SENDER, to: CUSTOMER, body: 'Votre dossier CAS-1 est ouvert.', clientReference: `msg-${++sequence}`, ...overrides });
  const notifications = () => hooks.received.filter((hook) => hook.headers['aeg-event-type'] === 'Notification');

  withProviderSimulation(async () => {
    hooks = await WebhookCollector.start();
    hooks.answer = answerLikeOurEndpoint;
    simulator = await AcsSmsSimulator.start({ deliveryReportDelayMs: 5, eventSubscriptions: [`${hooks.url}/webhooks/acs?code=${SECRET}`] });
    http = new OutboundHttpClient({ allow: ['127.0.0.1/32'] });
    provider = new AcsSmsProvider({ connectionString: simulator.connectionString }, http);
    return { simulator, hooks, http };
  });

  it('OM3.4 sends an HMAC-SHA256 signed request the simulator verifies, and returns the ACS message id', async () => {
    const sent = await provider.send(sms());

    expect(sent).toEqual({ providerMessageId: expect.stringMatching(/^Outgoing_\d{14}[0-9a-f-]{36}_noam$/), status: 'queued' });
    const [request] = simulator.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/sms', query: { 'api-version': '2021-03-07' }, status: 202 });
    expect(request?.headers['authorization']).toMatch(/^HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=/);
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({
      from: SENDER,
      message: 'Votre dossier CAS-1 est ouvert.',
      smsRecipients: [{ to: CUSTOMER, repeatabilityRequestId: expect.any(String) }],
      smsSendOptions: { enableDeliveryReport: true, tag: expect.stringMatching(/^msg-\d+$/) },
    });
  });

  it('OM3.4 sending the same message again (a retry after a crash) is answered from the first send, not texted twice', async () => {
    const first = await provider.send(sms({ clientReference: 'msg-retried' }));
    const stored = simulator.messages.size;
    const again = await provider.send(sms({ clientReference: 'msg-retried' }));
    expect(again.providerMessageId).toBe(first.providerMessageId);
    expect(simulator.messages.size).toBe(stored);
    const other = await provider.send(sms({ clientReference: 'msg-other' }));
    expect(other.providerMessageId).not.toBe(first.providerMessageId);
  });

  it('OM3.4 issue 11 a send carries its first attempt\'s time as repeatabilityFirstSent; a repeat within ACS\'s window is answered from the first', async () => {
    const firstAttemptAt = new Date(Date.now() - 60_000);
    const first = await provider.send(sms({ clientReference: 'msg-in-doubt', firstAttemptAt }));
    const again = await provider.send(sms({ clientReference: 'msg-in-doubt', firstAttemptAt }));

    expect(again.providerMessageId).toBe(first.providerMessageId);
    const bodies = simulator.requests.map((request) => JSON.parse(request.body) as { smsRecipients: Array<Record<string, string>> });
    expect(bodies.map((body) => body.smsRecipients[0]?.['repeatabilityFirstSent'])).toEqual([firstAttemptAt.toUTCString(), firstAttemptAt.toUTCString()]);
  });

  it('OM3.4 issue 11 a message whose first attempt is past ACS\'s 5 minute window is refused (412) and fails as repeatability-expired, not sent again', async () => {
    const size = simulator.messages.size;
    const refused = await provider.send(sms({ firstAttemptAt: new Date(Date.now() - 6 * 60_000) })).catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(ProviderSendError);
    expect(refused).toMatchObject({ retryable: false, providerCode: 'repeatability-expired' });
    expect(simulator.messages.size).toBe(size);
  });

  it('OM3.4 a request signed with another access key is refused (401) as a final error', async () => {
    const otherKey = Buffer.alloc(32, 7).toString('base64');
    const forged = new AcsSmsProvider({ connectionString: `endpoint=${simulator.url}/;accesskey=${otherKey}` }, http);
    const sentBefore = simulator.messages.size;
    await expect(forged.send(sms())).rejects.toMatchObject({ retryable: false, providerCode: 'Denied' });
    expect(simulator.requests[0]?.status).toBe(401);
    expect(simulator.messages.size).toBe(sentBefore);
  });

  it('OM3.4 delivery reports arrive as Event Grid events after the validation handshake, tagged with our reference', async () => {
    const { providerMessageId } = await provider.send(sms({ clientReference: 'msg-42' }));
    await simulator.settled();

    const validation = simulator.webhooks.deliveries.find((delivery) => delivery.headers['aeg-event-type'] === 'SubscriptionValidation');
    expect(validation?.status).toBe(200);
    const [report] = notifications().map((hook) => readAcsEventGridRequest(SECRET, hook));
    expect(report).toEqual({
      outcome: 'accepted',
      value: { inboundMessages: [], deliveryReports: [{ providerMessageId, status: 'delivered', occurredAt: expect.any(Date), clientReference: 'msg-42' }] },
    });
  });

  it('OM3.4 a recipient failed on demand is reported failed with ACS details', async () => {
    simulator.failRecipient(CUSTOMER, { type: 'failed', message: 'Carrier rejected the message.' });
    const { providerMessageId } = await provider.send(sms());
    await simulator.settled();
    const reading = readAcsEventGridRequest(SECRET, notifications()[0] as CollectedWebhook);
    expect(reading).toMatchObject({ outcome: 'accepted', value: { deliveryReports: [{ providerMessageId, status: 'failed', errorCode: 'Failed', errorMessage: 'Carrier rejected the message.' }] } });
  });

  it('OM3.4 a 429 is retryable after its Retry-After (the SDK does not retry by itself)', async () => {
    simulator.failNext({ status: 429, retryAfterSeconds: 11 });
    await expect(provider.send(sms())).rejects.toMatchObject({ retryable: true, retryAfterMs: 11_000, providerCode: 'TooManyRequests' });
    expect(simulator.requests).toHaveLength(1);
  });

  it('OM3.4 a 5xx is retryable; an invalid recipient is final with its status code', async () => {
    simulator.failNext({ status: 503 });
    await expect(provider.send(sms())).rejects.toMatchObject({ retryable: true, providerCode: 'InternalServerError' });
    await expect(provider.send(sms({ to: '0415' }))).rejects.toMatchObject({ retryable: false, providerCode: '400' });
    simulator.failRecipient(CUSTOMER, { type: 'reject', status: 400, message: 'Recipient opted out.' });
    await expect(provider.send(sms())).rejects.toThrow(/Recipient opted out/);
  });

  it('OM3.4 WhatsApp is not an ACS SMS channel: final, nothing sent', async () => {
    await expect(provider.send(sms({ channel: 'whatsapp' }))).rejects.toMatchObject({ retryable: false, providerCode: 'channel-not-supported' });
    expect(simulator.requests).toHaveLength(0);
  });

  it('OM5.1 an inbound SMS arrives as Microsoft.Communication.SMSReceived and parses', async () => {
    const messageId = await simulator.injectInbound({ from: CUSTOMER, to: SENDER, message: 'ARRÊT' });
    await simulator.settled();
    const reading = readAcsEventGridRequest(SECRET, notifications()[0] as CollectedWebhook);
    expect(reading).toEqual({ outcome: 'accepted', value: { deliveryReports: [], inboundMessages: [{ providerMessageId: messageId, channel: 'sms', from: CUSTOMER, to: SENDER, body: 'ARRÊT', receivedAt: expect.any(Date) }] } });
  });

  it('OM3.4 Event Grid requests without or with a wrong secret are refused, handshakes included', async () => {
    await simulator.injectInbound({ from: CUSTOMER, to: SENDER, message: 'hi' });
    await simulator.settled();
    const hook = notifications()[0] as CollectedWebhook;
    expect(readAcsEventGridRequest(SECRET, { ...hook, url: hook.url.replace(`?code=${SECRET}`, '') })).toMatchObject({ outcome: 'rejected', status: 401 });
    expect(readAcsEventGridRequest(SECRET, { ...hook, url: hook.url.replace(SECRET, 'guess') })).toMatchObject({ outcome: 'rejected', status: 403 });
    expect(readAcsEventGridRequest(SECRET, { ...hook, body: '{' })).toMatchObject({ outcome: 'rejected', status: 400 });
    expect(readAcsEventGridRequest(SECRET, { ...hook, body: '[{"id":"1"}]' })).toMatchObject({ outcome: 'rejected', status: 400 });

    const unauthorised = await WebhookCollector.start();
    unauthorised.answer = (request) => {
      const reading = readAcsEventGridRequest(SECRET, request);
      return reading.outcome === 'validation' ? { status: 200, body: JSON.stringify({ validationResponse: reading.validationResponse }) } : { status: 403 };
    };
    simulator.subscribe(`${unauthorised.url}/webhooks/acs?code=wrong`);
    await simulator.injectInbound({ from: CUSTOMER, to: SENDER, message: 'hi again' });
    await simulator.settled();
    expect(unauthorised.received.map((request) => request.headers['aeg-event-type'])).toEqual(['SubscriptionValidation']);
    await unauthorised.close();
  });
});
