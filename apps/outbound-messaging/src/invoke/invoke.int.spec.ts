import { OutboxPublisher } from '@switchboard/messaging';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageEvents } from '../messages/message-events';
import { MessagesRepository } from '../messages/messages.repository';
import { MessageSender } from '../sending/message-sender.service';
import { contact, createConfiguration, send, SMS_TEMPLATE, SUPERVISOR, TENANT_A, TENANT_B, WHATSAPP_TEMPLATE } from '../test-support/fixtures';
import { type MessagingTestApp, startMessagingTestApp } from '../test-support/test-app';
import { ConfigurationLoader } from './configuration-loader';
import { batchEvents, planBatch } from './contact-batch';
import { INVOKE_PATH } from './invoke.controller';
import { InvokeRateLimitRepository } from './invoke-rate-limit.repository';
import type { InvokeResponse } from './invoke.schema';

const PATH = `/${INVOKE_PATH}`;
type Error = { error: { code: string; message: string; details: { field: string; message: string }[] } };

describe('invoke API (OM3.1, OM3.2, OM5.4)', () => {
  let app: MessagingTestApp;
  let configurationId: string;
  let timelineConfigurationId: string;

  beforeAll(async () => {
    // The sender is stopped (a queued message would otherwise wake it): these tests look at what the API stores.
    app = await startMessagingTestApp({ SEND_POLL_MS: '60000' });
    await app.app.get(MessageSender).stop();
    configurationId = (await createConfiguration(app)).configurationId;
    timelineConfigurationId = (await createConfiguration(app, { showInTimeline: true })).configurationId;
  }, 60_000);
  afterAll(() => app?.close());

  const invoke = (body: unknown, options: { tenantId?: string } = {}) => send<InvokeResponse & Error>(app, 'POST', PATH, body, { roles: SUPERVISOR, ...options });

  it('OM3.1 OM3.2 OM3.3 answers per contact: accepted (queued, rendered in its locale), skipped (option false), rejected with the reason', async () => {
    const answer = await invoke({
      msdyn_ocoutboundconfigurationid: configurationId,
      ContactList: [
        contact({ locale: 'fr-CA', contextitems: { ticketUrl: 'https://t.example/1' } }),
        contact({ tocontactid: '+442071838750', option: false }),
        contact({ tocontactid: '+1234', CaseName: '' }),
        contact({ locale: 'fr' }),
        contact({ channelid: 'SMS', option: 'True', locale: undefined, entityrelationshipname: undefined }),
      ],
    });

    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ accepted: 2, skipped: 1, rejected: 2 });
    const [first, second, third, fourth, fifth] = answer.body.ContactList;
    expect(first).toMatchObject({ index: 0, status: 'accepted', messageId: expect.any(String) });
    expect(second).toMatchObject({ status: 'skipped', reason: expect.stringContaining('option is false') });
    expect(third).toMatchObject({ status: 'rejected', tocontactid: '+1234' });
    expect(third?.reason).toMatch(/tocontactid .*not a valid number/);
    expect(third?.reason).toMatch(/CaseName/);
    expect(fourth).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/fr version .* \{\{ticketUrl\}\}/) });
    expect(fifth).toMatchObject({ status: 'accepted' });

    const stored = await app.prisma.outboundMessage.findMany({ where: { requestId: answer.body.requestId }, orderBy: { contactIndex: 'asc' } });
    expect(stored.map((m) => [m.contactIndex, m.status, m.toNumber, m.locale])).toEqual([
      [0, 'queued', '+14155552671', 'fr'],
      [1, 'skipped', '+442071838750', null],
      [4, 'queued', '+14155552671', 'en-US'],
    ]);
    expect(stored[0]).toMatchObject({ body: 'Bonjour Dana Levi, votre dossier CAS-01042 a été créé (https://t.example/1).', segments: 1, configurationId, inTimeline: false, dueAt: expect.any(Date) });
    expect(stored[1]).toMatchObject({ statusReason: expect.stringContaining('option is false'), dueAt: null, body: null });
  });

  it('OM5.4 MessageQueued and MessageSkipped are in the outbox with the messages, keyed by message id', async () => {
    const answer = await invoke({ msdyn_ocoutboundconfigurationid: timelineConfigurationId, ContactList: [contact(), contact({ option: false })] });
    const [queued, skipped] = answer.body.ContactList;
    const queuedEvents = await app.outbox({ key: queued?.messageId });
    expect(queuedEvents.map((row) => row.envelope.type)).toEqual(['switchboard.messaging.MessageQueued']);
    expect(queuedEvents[0]?.envelope['data']).toMatchObject({
      messageId: queued?.messageId,
      configurationId: timelineConfigurationId,
      channel: 'sms',
      to: '+14155552671',
      locale: 'en-US',
      requestId: answer.body.requestId,
      timeline: { entityRelationshipName: 'incident_msdyn_ocoutboundmessages', customerName: 'Dana Levi', caseName: 'CAS-01042', body: 'Hi Dana Levi, your case CAS-01042 was created.' },
    });
    expect((await app.outbox({ key: skipped?.messageId })).map((row) => row.envelope.type)).toEqual(['switchboard.messaging.MessageSkipped']);
  });

  it('OM1.1 OM2.1 a template replaced or a configuration deleted through this service is used by the very next request (configurations are cached)', async () => {
    const parts = await createConfiguration(app);
    const body = { msdyn_ocoutboundconfigurationid: parts.configurationId, ContactList: [contact()] };
    const bodyOf = async (answer: { body: InvokeResponse }) => (await app.prisma.outboundMessage.findUniqueOrThrow({ where: { id: answer.body.ContactList[0]?.messageId as string } })).body;
    expect(await bodyOf(await invoke(body))).toBe('Hi Dana Levi, your case CAS-01042 was created.');

    const replaced = await send(app, 'PUT', `/outbound/templates/${parts.templateId}`, { ...SMS_TEMPLATE, name: 'replaced', versions: { 'en-US': { text: 'Case {{CaseName}} for {{CustomerName}} is open.' } } });
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    expect(await bodyOf(await invoke(body))).toBe('Case CAS-01042 for Dana Levi is open.');

    expect((await send(app, 'DELETE', `/outbound/configurations/${parts.configurationId}`)).status).toBe(204);
    expect((await invoke(body)).status).toBe(404);
  });

  it('OM2.2 OM3.1 a timeline configuration needs entityrelationshipname; without timeline the event carries no activity', async () => {
    const timeline = await invoke({ msdyn_ocoutboundconfigurationid: timelineConfigurationId, ContactList: [contact({ entityrelationshipname: undefined }), contact()] });
    expect(timeline.body.ContactList[0]).toMatchObject({ status: 'rejected', reason: expect.stringContaining('entityrelationshipname is required') });
    const tracking = await invoke({ msdyn_ocoutboundconfigurationid: configurationId, ContactList: [contact()] });
    const [event] = await app.outbox({ key: tracking.body.ContactList[0]?.messageId });
    expect(event?.envelope['data']).not.toHaveProperty('timeline');
  });

  it('OM1.1 OM3.1 WhatsApp: the approved template id and rendered variables are stored for sending', async () => {
    const whatsapp = await createConfiguration(app, { template: WHATSAPP_TEMPLATE, channel: { channelType: 'whatsapp', sender: '+14155550100' } });
    const answer = await invoke({ msdyn_ocoutboundconfigurationid: whatsapp.configurationId, ContactList: [contact({ channelid: 'whatsapp', contextitems: { orderId: 'A-17' } })] });
    const message = await app.prisma.outboundMessage.findUniqueOrThrow({ where: { id: answer.body.ContactList[0]?.messageId as string } });
    expect(message).toMatchObject({ channelType: 'whatsapp', whatsappTemplate: { id: WHATSAPP_TEMPLATE.versions.en.providerTemplateId, variables: { '1': 'Dana Levi', '2': 'A-17' } }, segments: null });
  });

  it('OM1.3 template injection through values: a value that looks like a slug is sent as text, never rendered', async () => {
    const answer = await invoke({ msdyn_ocoutboundconfigurationid: configurationId, ContactList: [contact({ CustomerName: '{{CaseName}}', CaseName: '{{constructor}}' })] });
    const message = await app.prisma.outboundMessage.findUniqueOrThrow({ where: { id: answer.body.ContactList[0]?.messageId as string } });
    expect(message.body).toBe('Hi {{CaseName}}, your case {{constructor}} was created.');
  });

  it('OM3.2 101 contacts → 400 telling to send batches of 100; nothing stored', async () => {
    const before = await app.prisma.outboundMessage.count();
    const answer = await invoke({ msdyn_ocoutboundconfigurationid: configurationId, ContactList: Array.from({ length: 101 }, () => contact()) });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details).toEqual([{ field: 'ContactList', message: expect.stringMatching(/holds 101 contacts; at most 100 .* batches of 100/) }]);
    expect(await app.prisma.outboundMessage.count()).toBe(before);
  });

  it('OM3.2 100 contacts are accepted in one request', async () => {
    const answer = await invoke({ msdyn_ocoutboundconfigurationid: configurationId, ContactList: Array.from({ length: 100 }, (_, i) => contact({ tocontactid: `+1415555${String(2000 + i)}` })) });
    expect(answer.status).toBe(200);
    expect(answer.body.accepted).toBe(100);
    expect(await app.prisma.outboundMessage.count({ where: { requestId: answer.body.requestId } })).toBe(100);
    expect((await app.outbox()).filter((row) => row.envelope['data'] && (row.envelope['data'] as { requestId?: string }).requestId === answer.body.requestId)).toHaveLength(100);
  });

  it('OM3.2 OM5.4 concurrent requests share insert statements: each request\'s messages and events are stored under it, complete', async () => {
    // More requests at once than inserts run at once: the later ones are stored together in one statement.
    const lists = Array.from({ length: 12 }, (_, r) => Array.from({ length: 5 }, (_, i) => contact({ tocontactid: `+1415555${String(3000 + r * 10 + i)}`, CaseName: `CAS-${r}-${i}` })));
    const answers = await Promise.all(lists.map((ContactList) => invoke({ msdyn_ocoutboundconfigurationid: configurationId, ContactList })));
    const outbox = await app.outbox();
    for (const [r, answer] of answers.entries()) {
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const stored = await app.prisma.outboundMessage.findMany({ where: { requestId: answer.body.requestId }, orderBy: { contactIndex: 'asc' } });
      expect(stored.map((m) => [m.id, m.contactIndex, m.toNumber, m.caseName, m.configurationId])).toEqual(
        answer.body.ContactList.map((line, i) => [line.messageId, i, `+1415555${String(3000 + r * 10 + i)}`, `CAS-${r}-${i}`, configurationId]),
      );
      expect(outbox.filter((row) => (row.envelope['data'] as { requestId?: string } | undefined)?.requestId === answer.body.requestId).map((row) => row.key).sort()).toEqual(stored.map((m) => m.id).sort());
    }
  });

  it('OM3.3 a batch whose insert fails fails alone: the batches stored in the same statement are kept', async () => {
    const repository = app.app.get(MessagesRepository);
    const outbox = app.app.get(OutboxPublisher);
    const events = new MessageEvents(outbox);
    const configuration = (await app.app.get(ConfigurationLoader).load(TENANT_A, configurationId))!;
    const planned = await Promise.all(
      Array.from({ length: 10 }, (_, r) => planBatch({ tenantId: TENANT_A, requestId: randomUUID(), at: new Date() }, configuration, [contact({ tocontactid: `+1415555${String(3500 + r)}` })], async () => new Map())),
    );
    // The last batch reuses the first one's message id: its rows cannot be stored. The first is stored before the
    // others start, so that the clash is the last one's whichever statements the concurrent ones share.
    const clash = planned[9]!.batch;
    clash.messages[0] = { ...clash.messages[0]!, id: planned[0]!.batch.messages[0]!.id };
    const insert = ({ batch }: (typeof planned)[number]) => repository.insertAccepted(batch, outbox.rows(batchEvents(events, batch)));
    await insert(planned[0]!);
    const outcomes = await Promise.allSettled(planned.slice(1).map(insert));
    expect(outcomes.map((outcome) => outcome.status)).toEqual([...Array(8).fill('fulfilled'), 'rejected']);
    for (const { batch } of planned.slice(0, 9)) expect(await app.prisma.outboundMessage.count({ where: { requestId: batch.requestId } })).toBe(1);
    expect(await app.prisma.outboundMessage.count({ where: { requestId: clash.requestId } })).toBe(0);
  });

  it('OM3.1 P1.1 another tenant\'s configuration → 404 ConfigurationNotFound; every contact rejected → 400 NoContactAccepted naming each', async () => {
    const foreign = await invoke({ msdyn_ocoutboundconfigurationid: configurationId, ContactList: [contact()] }, { tenantId: TENANT_B });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('ConfigurationNotFound');

    const wrongChannel = await invoke({ msdyn_ocoutboundconfigurationid: configurationId, ContactList: [contact({ channelid: 'whatsapp' }), contact({ msdyn_ocoutboundconfigurationid: timelineConfigurationId })] });
    expect(wrongChannel.status).toBe(400);
    expect(wrongChannel.body.error.code).toBe('NoContactAccepted');
    expect(wrongChannel.body.error.details).toEqual([
      { field: 'ContactList[0].channelid', message: expect.stringContaining('channelid is whatsapp but configuration') },
      { field: 'ContactList[1].msdyn_ocoutboundconfigurationid', message: expect.stringContaining("must equal the request's configuration") },
    ]);
  });
});

describe('invoke API rate limit across replicas (OM3.2)', () => {
  let app: MessagingTestApp;
  let replica: MessagingTestApp;

  beforeAll(async () => {
    const env = { INVOKE_REQUESTS_PER_HOUR: '3', SEND_POLL_MS: '60000' };
    app = await startMessagingTestApp(env);
    replica = await startMessagingTestApp(env, { replicaOf: app });
  }, 90_000);
  afterAll(async () => {
    await replica?.close();
    await app?.close();
  });

  it('OM3.2 the hour\'s requests are counted in Postgres: the 4th request on either replica is 429 with Retry-After; other tenants are unaffected', async () => {
    const { configurationId } = await createConfiguration(app);
    const body = { msdyn_ocoutboundconfigurationid: configurationId, ContactList: [contact()] };
    const statuses = [];
    for (const instance of [app, replica, app, replica]) statuses.push((await send(instance, 'POST', PATH, body, { roles: SUPERVISOR })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);

    const refused = await send<Error>(app, 'POST', PATH, body, { roles: SUPERVISOR });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3_600);
    expect(refused.body.error.message).toMatch(/3 invoke requests of this hour/);
    // Over the budget, 429 comes before what the request holds: an unknown configuration, contacts all rejected.
    expect((await send(app, 'POST', PATH, { ...body, msdyn_ocoutboundconfigurationid: randomUUID() }, { roles: SUPERVISOR })).status).toBe(429);
    expect((await send(app, 'POST', PATH, { ...body, ContactList: [contact({ channelid: 'whatsapp' })] }, { roles: SUPERVISOR })).status).toBe(429);
    expect(await app.prisma.outboundMessage.count()).toBe(3);

    const other = await createConfiguration(app, { tenantId: TENANT_B });
    expect((await send(replica, 'POST', PATH, { ...body, msdyn_ocoutboundconfigurationid: other.configurationId }, { roles: SUPERVISOR, tenantId: TENANT_B })).status).toBe(200);
  });

  it('OM3.2 OM5.2 one statement counts the request and reads its numbers\' consent: counted up to the budget, each suppressed number with its reason', async () => {
    const tenantId = randomUUID();
    const now = new Date();
    const rateLimit = app.app.get(InvokeRateLimitRepository);
    await app.prisma.optOut.create({ data: { tenantId, phoneNumber: '+14155550101', keyword: 'STOP', inboundMessageId: randomUUID(), optedOutAt: now } });
    await app.prisma.voiceDoNotCall.create({ data: { tenantId, phoneNumber: '+14155550102', reason: 'Asked on a call', expiresAt: null, listedAt: now } });
    const numbers = ['+14155550101', '+14155550102', '+14155550103'];

    const answers = [];
    for (let request = 0; request < 3; request++) answers.push(await rateLimit.countAndReadSuppressions(tenantId, 2, now, numbers));

    expect(answers.map((answer) => answer.budget)).toEqual([{ allowed: true }, { allowed: true }, { allowed: false, retryAfterSeconds: expect.any(Number) }]);
    for (const { suppressed } of answers) {
      expect(Object.fromEntries(suppressed)).toEqual({ '+14155550101': expect.stringContaining('opted out (replied STOP)'), '+14155550102': expect.stringContaining('voice do-not-call list (Asked on a call)') });
    }
    expect(await rateLimit.countAndReadSuppressions(tenantId, 3, now, [])).toEqual({ budget: { allowed: true }, suppressed: new Map() });
    expect(await rateLimit.count(tenantId, 3, now)).toEqual({ allowed: false, retryAfterSeconds: expect.any(Number) });
  });
});
