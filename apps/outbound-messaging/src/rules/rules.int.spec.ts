import { createCloudEvent, CrmCaseEventTypes, Topics } from '@switchboard/contracts';
import { eventually, testInfra } from '@switchboard/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MessageSender } from '../sending/message-sender.service';
import { createConfiguration, send, SUPERVISOR, TENANT_A, TENANT_B } from '../test-support/fixtures';
import { type MessagingTestApp, startMessagingTestApp } from '../test-support/test-app';
import type { RuleFiringView, RuleView } from './rules.schema';

type Error = { error: { code: string; message: string; details?: { field: string; message: string }[] } };

/** A CRM case event as crm-sync publishes it (scenario E2). */
function caseEvent(options: { tenantId?: string; type?: string; status?: string; contact?: Record<string, unknown>; caseNumber?: string; id?: string } = {}) {
  const caseId = `case-${randomUUID().slice(0, 8)}`;
  return createCloudEvent({
    id: options.id,
    type: options.type ?? CrmCaseEventTypes.created,
    source: '/switchboard/crm-sync',
    subject: caseId,
    tenantId: options.tenantId ?? TENANT_A,
    data: {
      crmEventId: `evt-${randomUUID()}`,
      caseId,
      caseNumber: options.caseNumber ?? 'CAS-01042',
      title: 'Router does not boot',
      status: options.status ?? 'New',
      contact: options.contact ?? { id: 'c-1', phoneNumber: '+14155552671', name: 'Dana Levi', locale: 'fr-CA' },
      occurredAt: '2026-12-02T10:00:00Z',
    },
  });
}

describe('automated rules (OM4.1): CRM case events send a configuration\'s message', () => {
  let app: MessagingTestApp;
  let producer: Producer;
  let configurationId: string;

  const publish = (...events: ReturnType<typeof caseEvent>[]) => producer.send({ topic: Topics.crmCaseEvents, messages: events.map((event) => ({ key: event.subject, value: JSON.stringify(event) })) });
  const createRule = async (body: Record<string, unknown>, tenantId = TENANT_A) => send<RuleView & Error>(app, 'POST', '/outbound/rules', { name: `rule ${randomUUID().slice(0, 6)}`, topic: Topics.crmCaseEvents, eventType: CrmCaseEventTypes.created, configurationId, ...body }, { tenantId });
  const firings = async (ruleId: string) => (await send<{ items: RuleFiringView[] }>(app, 'GET', `/outbound/rules/${ruleId}/firings`, undefined, { roles: SUPERVISOR })).body.items;
  const firingsFor = (ruleId: string, count: number) => eventually(async () => ((await firings(ruleId)).length >= count ? firings(ruleId) : undefined), `${count} firings of rule ${ruleId}`, 30_000);

  beforeAll(async () => {
    app = await startMessagingTestApp({ SEND_POLL_MS: '60000' });
    // The sender is stopped: these tests look at the messages the rules queue.
    await app.app.get(MessageSender).stop();
    configurationId = (await createConfiguration(app)).configurationId;
    producer = new Kafka({ clientId: 'rules-test', brokers: testInfra().kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
  }, 60_000);
  // Each test's rules only: a rule left enabled would fire on the next test's events too.
  afterEach(async () => {
    await app.prisma.automatedRule.deleteMany({ where: { tenantId: TENANT_A } });
  });
  afterAll(async () => {
    await producer?.disconnect();
    await app?.close();
  });

  it('OM4.1 a CaseCreated event queues the message rendered in the contact\'s locale, with MessageQueued, once even when the event is delivered twice', async () => {
    const rule = await createRule({ conditions: [{ field: 'status', in: ['new', 'Open'] }], contact: { contextitems: { ticketUrl: 'caseId' } } });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    expect(rule.body.contact).toEqual({ tocontactid: 'contact.phoneNumber', CustomerName: 'contact.name', CaseName: 'caseNumber', locale: 'contact.locale', contextitems: { ticketUrl: 'caseId' } });

    const event = caseEvent();
    await publish(event, event);
    const [firing] = await firingsFor(rule.body.id, 1);
    expect(firing).toMatchObject({ eventId: event.id, eventType: CrmCaseEventTypes.created, outcome: 'queued', messageId: expect.any(String) });
    const message = await app.prisma.outboundMessage.findUniqueOrThrow({ where: { id: firing!.messageId! } });
    expect(message).toMatchObject({ tenantId: TENANT_A, status: 'queued', toNumber: '+14155552671', locale: 'fr', configurationId, dueAt: expect.any(Date) });
    expect(message.body).toBe(`Bonjour Dana Levi, votre dossier CAS-01042 a été créé (${event.data.caseId}).`);
    const events = await app.outbox({ key: message.id });
    expect(events.map((row) => row.envelope.type)).toEqual(['switchboard.messaging.MessageQueued']);

    // The duplicate was consumed too (a later event is behind it on no other partition key): still one firing, one message.
    const later = caseEvent({ caseNumber: 'CAS-01043' });
    await publish(later);
    await firingsFor(rule.body.id, 2);
    expect((await firings(rule.body.id)).filter((f) => f.eventId === event.id)).toHaveLength(1);
    expect(await app.prisma.outboundMessage.count({ where: { configurationId, caseName: 'CAS-01042' } })).toBe(1);
  }, 60_000);

  it('OM4.1 conditions, event types, disabled rules and other tenants: only matching events fire; a contact the event cannot give is rejected with the reason', async () => {
    const resolvedOnly = await createRule({ eventType: CrmCaseEventTypes.resolved, conditions: [{ field: 'status', in: ['Resolved'] }], contact: { contextitems: { ticketUrl: 'caseId' } } });
    const disabled = await createRule({ enabled: false });
    const noPhoneRule = await createRule({ conditions: [{ field: 'caseNumber', in: ['CAS-NOPHONE'] }] });
    expect([resolvedOnly.status, disabled.status, noPhoneRule.status]).toEqual([201, 201, 201]);

    await publish(
      caseEvent({ type: CrmCaseEventTypes.resolved, status: 'Closed' }),
      caseEvent({ type: CrmCaseEventTypes.resolved, status: 'Resolved', tenantId: TENANT_B }),
      caseEvent({ type: CrmCaseEventTypes.updated, status: 'Resolved' }),
      caseEvent({ caseNumber: 'CAS-NOPHONE', contact: { name: 'No Phone' } }),
      caseEvent({ type: CrmCaseEventTypes.resolved, status: 'RESOLVED', caseNumber: 'CAS-RESOLVED' }),
    );
    const [resolvedFiring] = await firingsFor(resolvedOnly.body.id, 1);
    expect(resolvedFiring, resolvedFiring?.reason ?? '').toMatchObject({ outcome: 'queued' });
    const [rejected] = await firingsFor(noPhoneRule.body.id, 1);
    expect(rejected).toMatchObject({ outcome: 'rejected', messageId: null, reason: "tocontactid comes from the event's contact.phoneNumber, which has no value" });
    expect(await firings(resolvedOnly.body.id)).toHaveLength(1);
    expect(await firings(disabled.body.id)).toHaveLength(0);
    expect(await app.prisma.outboundMessage.count({ where: { tenantId: TENANT_B } })).toBe(0);
  }, 60_000);

  it('OM4.1 OM1.3 a template slot the event leaves empty fails that contact with the slug named; nothing unfilled is stored', async () => {
    const rule = await createRule({ conditions: [{ field: 'caseNumber', in: ['CAS-EMPTYSLOT'] }], contact: { contextitems: {} } });
    await publish(caseEvent({ caseNumber: 'CAS-EMPTYSLOT' }));
    const [firing] = await firingsFor(rule.body.id, 1);
    expect(firing).toMatchObject({ outcome: 'rejected', messageId: null, reason: expect.stringContaining('{{ticketUrl}}') });
    expect(await app.prisma.outboundMessage.count({ where: { caseName: 'CAS-EMPTYSLOT' } })).toBe(0);
  }, 60_000);

  it('OM4.1 bad rules get a specific 4xx and store nothing; another tenant\'s rule is not found; a configuration in use cannot be deleted', async () => {
    const timeline = (await createConfiguration(app, { showInTimeline: true })).configurationId;
    const otherTenants = (await createConfiguration(app, { tenantId: TENANT_B })).configurationId;
    const before = await app.prisma.automatedRule.count();
    const refusals: [Record<string, unknown>, number, string][] = [
      [{ topic: 'agent.events.v1' }, 400, 'topic'],
      [{ eventType: 'switchboard.crm.CaseDeleted' }, 400, 'eventType'],
      [{ contact: { tocontactid: '__proto__.x' } }, 400, 'contact.tocontactid'],
      [{ contact: { CustomerName: 'contact.constructor' } }, 400, 'contact.CustomerName'],
      [{ contact: { contextitems: { 'not a name': 'title' } } }, 400, 'contact.contextitems["not a name"]'],
      [{ conditions: [{ field: 'status', in: [] }] }, 400, 'conditions[0].in'],
      [{ conditions: [{ field: 'status', in: ['New'], extra: 1 }] }, 400, 'conditions[0].extra'],
      [{ configurationId: 'not-a-guid' }, 400, 'configurationId'],
      [{ configurationId: otherTenants }, 422, 'configurationId'],
      [{ configurationId: timeline }, 422, 'contact.entityrelationshipname'],
    ];
    for (const [body, status, field] of refusals) {
      const answer = await createRule(body);
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.body.error.details?.map((detail) => detail.field), JSON.stringify(answer.body)).toContain(field);
    }
    expect(await app.prisma.automatedRule.count()).toBe(before);

    const rule = await createRule({ configurationId: timeline, contact: { entityrelationshipname: 'incident_msdyn_ocoutboundmessages' } });
    expect(rule.status).toBe(201);
    expect((await send(app, 'GET', `/outbound/rules/${rule.body.id}`, undefined, { tenantId: TENANT_B })).status).toBe(404);
    expect((await send(app, 'DELETE', `/outbound/rules/${rule.body.id}`, undefined, { tenantId: TENANT_B })).status).toBe(404);
    expect((await send(app, 'GET', `/outbound/rules/${rule.body.id}`, undefined, { roles: SUPERVISOR })).status).toBe(200);
    expect((await send(app, 'POST', '/outbound/rules', {}, { roles: SUPERVISOR })).status).toBe(403);
    const inUse = await send<Error>(app, 'DELETE', `/outbound/configurations/${timeline}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body.error.code).toBe('ConfigurationInUse');

    const replaced = await send<RuleView>(app, 'PUT', `/outbound/rules/${rule.body.id}`, { name: rule.body.name, topic: Topics.crmCaseEvents, eventType: CrmCaseEventTypes.updated, configurationId, enabled: false });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ eventType: CrmCaseEventTypes.updated, enabled: false, configurationId });
    expect((await send(app, 'DELETE', `/outbound/rules/${rule.body.id}`)).status).toBe(204);
    expect((await send(app, 'DELETE', `/outbound/configurations/${timeline}`)).status).toBe(204);
  }, 60_000);
});
