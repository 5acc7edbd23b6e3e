import { Role, signBody } from '@switchboard/auth';
import { type CloudEvent, CrmCaseEventTypes, InboundConversationEventTypes, OutboundMessageEventTypes, Topics } from '@switchboard/contracts';
import { TwilioSimulator } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../stack/service-process';
import { readTopicEvents, type TopicEvents } from './support/topic-events';
import { eventually, startTestStack, type TestStack } from './support/test-stack';

const TENANT_A = 'e2e20000-aaaa-4aaa-8aaa-00000000000a';
const TENANT_B = 'e2e20000-bbbb-4bbb-8bbb-00000000000b';
const CRM_SECRET_A = 'tenant-a-crm-webhook-secret-0123456789abcdef';
const CRM_SECRET_B = 'tenant-b-crm-webhook-secret-0123456789abcdef';
// Only the simulator's address is allow-listed (P2.5): 127.0.0.1, where the services listen, stays refused.
const SIMULATOR_HOST = '127.0.0.2';
const SENDER = '+14155550182';
const CUSTOMER = '+4915123456701';
const GERMAN = 'Hallo {{CustomerName}}, Ihr Fall {{CaseName}} ({{caseTitle}}) wurde eröffnet. Antworten Sie einfach auf diese SMS.';
const ENGLISH = 'Hello {{CustomerName}}, your case {{CaseName}} ({{caseTitle}}) was opened. Just reply to this text.';

type Json = Record<string, unknown>;
type Answer<T = Json> = { status: number; body: T };

/**
 * E2 Case notification, across processes: a CRM's signed "case created" reaches crm-sync, which publishes it on
 * crm.case-events.v1; outbound-messaging's automated rule renders the template in the contact's locale and sends
 * the SMS through the Twilio API (the simulator); the simulator's signed delivery receipts mark the message
 * delivered; the customer's reply through the simulator's inbound webhook becomes conversation.inbound.v1; a HELP
 * is answered from the same number; a number an administrator lists on proactive-delivery's do-not-call list gets
 * no case SMS until the entry is removed (voice.consent.v1).
 * Everything is configured through the services' admin APIs, as an administrator would.
 */
describe('E2 case notification: CRM case created → rule → SMS in the contact\'s locale → delivered → reply (OM4.1, OM1.2, OM3.3, OM5.1, P1.4)', () => {
  let stack: TestStack;
  let twilio: TwilioSimulator;
  let events: TopicEvents;
  let channelId: string;
  let configurationId: string;
  let ruleId: string;

  beforeAll(async () => {
    twilio = await TwilioSimulator.start({ host: SIMULATOR_HOST });
    // Twilio's callbacks go to outbound-messaging's public address, so it must be known before the start.
    const messagingPort = await freePort();
    stack = await startTestStack(
      ['crm-sync', 'outbound-messaging', 'proactive-delivery'],
      {},
      {
        ports: { 'outbound-messaging': messagingPort },
        serviceEnv: {
          'outbound-messaging': {
            PUBLIC_BASE_URL: `http://127.0.0.1:${messagingPort}`,
            OUTBOUND_HTTP_ALLOW: `${SIMULATOR_HOST}/32`,
            // Automated messages are otherwise held until the customer's local daytime.
            MESSAGING_QUIET_HOURS: 'off',
            SEND_POLL_MS: '100',
          },
        },
      },
    );
    events = await readTopicEvents(stack.kafkaBrokers, [Topics.crmCaseEvents, Topics.outboundMessage, Topics.conversationInbound], TENANT_A);
    await configureTenantA();
  }, 180_000);

  afterAll(async () => {
    await events?.stop();
    await stack?.stop();
    await twilio?.close();
  });

  async function call<T = Json>(service: 'crm-sync' | 'outbound-messaging' | 'proactive-delivery', method: string, path: string, tenantId: string, roles: Role[], body?: unknown): Promise<Answer<T>> {
    const response = await stack.call(service, path, { method, tenantId, roles, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
  }

  async function create(path: string, body: unknown): Promise<string> {
    const answer = await call<{ id: string }>('outbound-messaging', 'POST', path, TENANT_A, [Role.Administrator], body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body.id;
  }

  /** The CRM's webhook secret (crm-sync), then template, Twilio channel, configuration and rule (outbound-messaging). */
  async function configureTenantA(): Promise<void> {
    for (const [tenantId, secret] of [[TENANT_A, CRM_SECRET_A], [TENANT_B, CRM_SECRET_B]] as const) {
      expect((await call('crm-sync', 'PUT', '/crm/case-events/secret', tenantId, [Role.Administrator], { secret })).status).toBe(204);
    }
    const templateId = await create('/outbound/templates', { name: 'Case opened', channelType: 'sms', defaultLocale: 'en-US', versions: { 'en-US': { text: ENGLISH }, 'de-DE': { text: GERMAN } } });
    channelId = await create('/outbound/channels', {
      name: 'Support line',
      channelType: 'sms',
      provider: 'twilio',
      sender: SENDER,
      account: { accountSid: twilio.account.accountSid, apiBaseUrl: twilio.url },
      credentials: { authToken: twilio.account.authToken },
    });
    configurationId = await create('/outbound/configurations', { name: 'Case notifications', showInTimeline: true, channelType: 'sms', channelId, templateId });
    ruleId = await create('/outbound/rules', {
      name: 'SMS on new cases',
      topic: Topics.crmCaseEvents,
      eventType: CrmCaseEventTypes.created,
      conditions: [{ field: 'status', in: ['New'] }],
      configurationId,
      contact: { entityrelationshipname: 'incident_msdyn_ocoutboundmessages' },
    });
  }

  /** The CRM's webhook call, signed as documented: t=<unix seconds>,v1=HMAC-SHA256("<t>.<body>") with the tenant's secret. */
  function postCaseEvent(body: string, tenantId = TENANT_A, secret = CRM_SECRET_A): Promise<Response> {
    return fetch(`${stack.url('crm-sync')}/crm/case-events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-switchboard-tenant': tenantId, 'x-switchboard-signature': signBody(secret, body) },
      body,
    });
  }

  const caseCreated = (caseId: string, caseNumber: string) =>
    JSON.stringify({
      id: `evt-${randomUUID()}`,
      type: 'case.created',
      occurredAt: new Date().toISOString(),
      case: { id: caseId, number: caseNumber, title: 'Rechnung doppelt abgebucht', status: 'New', owner: { id: 'u-17', name: 'Kim Lee' } },
      contact: { id: 'contact-jw', phoneNumber: CUSTOMER, name: 'Jonas Weber', locale: 'de-DE' },
    });

  const messageEvents = (messageId: string) => (event: CloudEvent) => (event.data as { messageId?: string }).messageId === messageId;
  const firingsOf = async (tenantId: string) => call<{ items: { eventId: string; outcome: string; messageId: string | null; reason: string | null }[] }>('outbound-messaging', 'GET', `/outbound/rules/${ruleId}/firings`, tenantId, [Role.OmnichannelSupervisor]);

  it('E2 every step: accepted → crm.case-events.v1 → rule fires → German SMS at Twilio → delivered (API and outbound.message.v1) → reply on conversation.inbound.v1', async () => {
    const caseId = `case-${randomUUID().slice(0, 8)}`;
    const accepted = await postCaseEvent(caseCreated(caseId, 'CAS-02001-E2E2'));
    expect(accepted.status).toBe(202);
    const { eventId, duplicate } = (await accepted.json()) as { eventId: string; duplicate: boolean };
    expect(duplicate).toBe(false);

    // 1. crm-sync published the case on Kafka, keyed by the case, with the contact's locale.
    const [published] = await events.waitFor(Topics.crmCaseEvents, `case event ${eventId}`, (event) => event.id === eventId);
    expect(published?.key).toBe(caseId);
    expect(published?.event).toMatchObject({ type: CrmCaseEventTypes.created, subject: caseId, data: { caseNumber: 'CAS-02001-E2E2', contact: { phoneNumber: CUSTOMER, locale: 'de-DE' } } });

    // 2. The rule fired on that very event and queued one message.
    const firing = await eventually(async () => (await firingsOf(TENANT_A)).body.items.find((item) => item.eventId === eventId), `the rule's firing on ${eventId}`, 60_000);
    expect(firing, firing.reason ?? '').toMatchObject({ outcome: 'queued', messageId: expect.any(String) });
    const messageId = firing.messageId as string;

    // 3. The SMS reached the Twilio API, rendered from the de-DE version, with our status callback.
    const expectedText = 'Hallo Jonas Weber, Ihr Fall CAS-02001-E2E2 (Rechnung doppelt abgebucht) wurde eröffnet. Antworten Sie einfach auf diese SMS.';
    const sms = await eventually(async () => [...twilio.messages.values()].find((message) => message.to === CUSTOMER && message.body.includes('CAS-02001-E2E2')), 'the SMS at the Twilio simulator', 60_000);
    expect(sms).toMatchObject({ from: SENDER, body: expectedText, accountSid: twilio.account.accountSid });
    expect(sms.statusCallback).toBe(`${stack.url('outbound-messaging')}/outbound/webhooks/twilio/status/${channelId}?messageId=${messageId}`);

    // 4. The simulator's signed delivery receipts took the message to delivered: in the API and on outbound.message.v1.
    const delivered = await eventually(
      async () => {
        const answer = await call<{ status: string }>('outbound-messaging', 'GET', `/outbound/messages/${messageId}`, TENANT_A, [Role.OmnichannelSupervisor]);
        return answer.body.status === 'delivered' ? answer.body : undefined;
      },
      `message ${messageId} delivered`,
      60_000,
    );
    expect(delivered).toMatchObject({ id: messageId, configurationId, channelId, to: CUSTOMER, locale: 'de-DE', providerMessageId: sms.sid, deliveredAt: expect.any(String) });
    const lifecycle = await events.waitFor(Topics.outboundMessage, `Queued, Sent, Delivered of ${messageId}`, messageEvents(messageId), 3);
    expect(lifecycle.map((entry) => [entry.event.type, entry.key])).toEqual([
      [OutboundMessageEventTypes.queued, messageId],
      [OutboundMessageEventTypes.sent, messageId],
      [OutboundMessageEventTypes.delivered, messageId],
    ]);
    expect(lifecycle[0]?.event.data).toMatchObject({ locale: 'de-DE', to: CUSTOMER, timeline: { caseName: 'CAS-02001-E2E2', customerName: 'Jonas Weber', body: expectedText } });
    expect(lifecycle[2]?.event.data).toMatchObject({ providerMessageId: sms.sid });

    // 5. The customer answers; Twilio (the simulator) posts it, signed, to the channel's inbound webhook.
    const replyText = 'Danke, ich rufe morgen an.';
    const reply = await twilio.injectInbound({ from: CUSTOMER, to: SENDER, body: replyText, url: `${stack.url('outbound-messaging')}/outbound/webhooks/twilio/inbound/${channelId}` });
    expect(reply.status, reply.responseBody ?? reply.error).toBe(200);
    const [inbound] = await events.waitFor(Topics.conversationInbound, `the reply ${reply.messageSid}`, (event) => (event.data as { providerMessageId?: string }).providerMessageId === reply.messageSid);
    expect(inbound?.key).toBe(CUSTOMER);
    expect(inbound?.event).toMatchObject({
      type: InboundConversationEventTypes.received,
      data: { from: CUSTOMER, to: SENDER, channel: 'sms', channelId, body: replyText, inReplyTo: { messageId, configurationId } },
    });
  }, 120_000);

  it('P1.4 a resent CRM event is a duplicate: the rule fires once and one SMS leaves', async () => {
    const body = caseCreated(`case-${randomUUID().slice(0, 8)}`, 'CAS-02002-E2E2');
    const first = (await (await postCaseEvent(body)).json()) as { eventId: string };
    const again = await postCaseEvent(body);
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ eventId: first.eventId, duplicate: true });

    const firing = await eventually(async () => (await firingsOf(TENANT_A)).body.items.find((item) => item.eventId === first.eventId), `the firing on ${first.eventId}`, 60_000);
    await eventually(async () => ((await call<{ status: string }>('outbound-messaging', 'GET', `/outbound/messages/${firing.messageId}`, TENANT_A, [Role.OmnichannelSupervisor])).body.status === 'delivered' ? true : undefined), 'the SMS delivered', 60_000);
    expect(events.seen(Topics.crmCaseEvents, (event) => (event.data as { caseNumber?: string }).caseNumber === 'CAS-02002-E2E2')).toHaveLength(1);
    expect((await firingsOf(TENANT_A)).body.items.filter((item) => item.eventId === first.eventId)).toHaveLength(1);
    expect([...twilio.messages.values()].filter((message) => message.body.includes('CAS-02002-E2E2'))).toHaveLength(1);
  }, 120_000);

  it('P1.1 tenant B can neither signal for A nor see or change A\'s messages, rules, firings, configurations, channels (401/404)', async () => {
    // A CRM event claiming tenant A but signed with B's secret is refused; the same body signed by B stays B's.
    const caseId = `case-${randomUUID().slice(0, 8)}`;
    const body = caseCreated(caseId, 'CAS-02003-E2E2');
    expect((await postCaseEvent(body, TENANT_A, CRM_SECRET_B)).status).toBe(401);
    const asTenantB = await postCaseEvent(body, TENANT_B, CRM_SECRET_B);
    expect(asTenantB.status).toBe(202);
    const { eventId } = (await asTenantB.json()) as { eventId: string };
    // A's event about the same case is keyed alike, so it is consumed after B's: once A's rule fired on it, B's was judged too.
    const marker = (await (await postCaseEvent(caseCreated(caseId, 'CAS-02004-E2E2'))).json()) as { eventId: string };
    const firing = await eventually(async () => (await firingsOf(TENANT_A)).body.items.find((item) => item.eventId === marker.eventId), "the firing on A's later event", 60_000);
    expect((await firingsOf(TENANT_A)).body.items.some((item) => item.eventId === eventId)).toBe(false);
    // The reader keeps tenant A's events only: B's event must not have been published as A's.
    expect(events.seen(Topics.crmCaseEvents, (event) => event.id === eventId)).toHaveLength(0);

    const asB = (method: string, path: string, body?: unknown) => call('outbound-messaging', method, path, TENANT_B, [Role.Administrator], body);
    expect((await asB('GET', `/outbound/messages/${firing.messageId}`)).status).toBe(404);
    expect((await asB('GET', '/outbound/messages')).body).toMatchObject({ items: [] });
    expect((await asB('GET', `/outbound/rules/${ruleId}`)).status).toBe(404);
    expect((await asB('GET', `/outbound/rules/${ruleId}/firings`)).status).toBe(404);
    expect((await asB('PUT', `/outbound/rules/${ruleId}`, { name: 'hijacked', topic: Topics.crmCaseEvents, eventType: CrmCaseEventTypes.created, configurationId, enabled: false })).status).toBe(404);
    expect((await asB('DELETE', `/outbound/rules/${ruleId}`)).status).toBe(404);
    expect((await asB('DELETE', `/outbound/configurations/${configurationId}`)).status).toBe(404);
    expect((await asB('GET', `/outbound/channels/${channelId}`)).status).toBe(404);
    // Nothing of A's changed.
    expect((await call('outbound-messaging', 'GET', `/outbound/rules/${ruleId}`, TENANT_A, [Role.OmnichannelSupervisor])).body).toMatchObject({ enabled: true, name: 'SMS on new cases' });
    expect((await call('outbound-messaging', 'GET', `/outbound/messages/${firing.messageId}`, TENANT_A, [Role.OmnichannelSupervisor])).status).toBe(200);
  }, 120_000);

  it('OM5.2 a HELP from the customer is answered from the same number with the default naming the channel and how to opt out', async () => {
    const help = await twilio.injectInbound({ from: CUSTOMER, to: SENDER, body: 'Hilfe', url: `${stack.url('outbound-messaging')}/outbound/webhooks/twilio/inbound/${channelId}` });
    expect(help.status, help.responseBody ?? help.error).toBe(200);
    const answer = await eventually(async () => [...twilio.messages.values()].find((message) => message.to === CUSTOMER && message.body.startsWith('Support line: ')), 'the HELP answer at Twilio', 60_000);
    expect(answer).toMatchObject({ from: SENDER, body: 'Support line: Antworten Sie STOPP zum Abmelden, START zum Anmelden.' });
  }, 120_000);

  it("one consent across channels: a number listed on proactive-delivery's do-not-call list gets no case SMS (the firing skipped with the reason) until the entry is removed", async () => {
    const customer = '+4915123456702';
    const asAdmin = (service: 'outbound-messaging' | 'proactive-delivery', method: string, path: string, body?: unknown) => call(service, method, path, TENANT_A, [Role.Administrator], body);
    const probe = async () => {
      const contact = { tocontactid: customer, channelid: 'sms', option: true, locale: 'de-DE', entityrelationshipname: 'incident_msdyn_ocoutboundmessages', CustomerName: 'Jonas Weber', CaseName: 'PROBE', contextitems: { caseTitle: 'probe' } };
      const answer = await call<{ ContactList: { status: string; reason?: string }[] }>('outbound-messaging', 'POST', '/api/data/v9.2/msdyn_InvokeOutboundAPI', TENANT_A, [Role.OmnichannelSupervisor], { msdyn_ocoutboundconfigurationid: configurationId, ContactList: [contact] });
      await new Promise((resolve) => setTimeout(resolve, 300));
      return answer.body.ContactList[0];
    };
    expect((await asAdmin('proactive-delivery', 'POST', '/proactive/do-not-call', { phoneNumber: customer, reason: 'Asked on a call' })).status).toBe(201);
    // proactive-delivery → voice.consent.v1 → outbound-messaging: the invoke API skips the number once it arrived.
    await eventually(async () => ((await probe())?.status === 'skipped' ? true : undefined), 'the listing applied by outbound-messaging', 60_000);

    const caseEvent = (number: string) => JSON.stringify({ ...JSON.parse(caseCreated(`case-${randomUUID().slice(0, 8)}`, number)), contact: { id: 'contact-dnc', phoneNumber: customer, name: 'Jonas Weber', locale: 'de-DE' } });
    const listed = (await (await postCaseEvent(caseEvent('CAS-02005-E2E2'))).json()) as { eventId: string };
    const skipped = await eventually(async () => (await firingsOf(TENANT_A)).body.items.find((item) => item.eventId === listed.eventId), 'the firing while listed', 60_000);
    expect(skipped).toMatchObject({ outcome: 'skipped', reason: `${customer} is on the tenant's voice do-not-call list (Asked on a call); no messages are sent to it while it is listed` });

    expect((await asAdmin('proactive-delivery', 'DELETE', `/proactive/do-not-call/${encodeURIComponent(customer)}`)).status).toBe(204);
    await eventually(async () => ((await probe())?.status === 'accepted' ? true : undefined), 'the removal applied by outbound-messaging', 60_000);
    const unlisted = (await (await postCaseEvent(caseEvent('CAS-02006-E2E2'))).json()) as { eventId: string };
    await eventually(async () => [...twilio.messages.values()].find((message) => message.to === customer && message.body.includes('CAS-02006-E2E2')), 'the case SMS after the removal', 60_000);
    expect([...twilio.messages.values()].filter((message) => message.body.includes('CAS-02005-E2E2'))).toHaveLength(0);
    expect((await firingsOf(TENANT_A)).body.items.find((item) => item.eventId === unlisted.eventId)).toMatchObject({ outcome: 'queued' });
  }, 180_000);
});
