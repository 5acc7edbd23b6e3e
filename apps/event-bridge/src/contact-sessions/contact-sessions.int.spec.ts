import { Role, signBody } from '@switchboard/auth';
import { contactSessionExamples, ContactSessionEventTypes, eventCatalog, Topics } from '@switchboard/contracts';
import { eventually } from '@switchboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventBridgeTestApp, type PublishedEvent, readTopicEvents, startEventBridgeTestApp } from '../test-support/test-app';

const TENANT_A = '3b5a2c1d-7e8f-4a9b-8c0d-1e2f3a4b5c6d';
const TENANT_B = '4c6b3d2e-8f90-4b1c-9d2e-3f4a5b6c7d8e';
const TENANT_WITHOUT_SECRET = '5d7c4e3f-9a01-4c2d-8e3f-4a5b6c7d8e9f';
const SUPERVISOR = [Role.OmnichannelSupervisor];
const EVENTS_PATH = '/contact-sessions/events';

let counter = 0;
/** A session id no other test (or earlier run on the shared broker) uses. */
const newSessionId = () => `${Date.now()}${(counter += 1)}`;

const started = (sessionId: string, occurredAt = '2026-03-02T14:00:00Z', data: object = contactSessionExamples.started) => ({ type: 'session.started', sessionId, occurredAt, data });
const updated = (sessionId: string, occurredAt: string, data: object) => ({ type: 'session.updated', sessionId, occurredAt, data });
const ended = (sessionId: string, occurredAt = '2026-03-02T14:12:00Z', data: object = contactSessionExamples.ended) => ({ type: 'session.ended', sessionId, occurredAt, data });

describe('contact sessions: signed server-side session events in, contact.session.v1 out', () => {
  let app: EventBridgeTestApp;
  let kafka: { events: PublishedEvent[]; stop(): Promise<void> };
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    [app, kafka] = await Promise.all([startEventBridgeTestApp(), readTopicEvents(Topics.contactSession, [TENANT_A, TENANT_B])]);
    secrets[TENANT_A] = await app.createIngressSecret(TENANT_A);
    secrets[TENANT_B] = await app.createIngressSecret(TENANT_B);
  }, 60_000);

  afterAll(async () => {
    await kafka?.stop();
    await app?.close();
  });

  const post = (body: string | object, tenantId = TENANT_A) => app.postSigned(EVENTS_PATH, tenantId, secrets[tenantId] ?? 'no-secret-of-32-characters-at-all', body);
  const accepted = async (body: object, tenantId = TENANT_A) => {
    const response = await post(body, tenantId);
    expect(response.status, await response.clone().text()).toBe(202);
    return (await response.json()) as { eventId: string; sessionId: string; version: number; duplicate: boolean };
  };
  const getSession = (sessionId: string, tenantId = TENANT_A) => app.call(`/contact-sessions/${sessionId}`, { method: 'GET', tenantId, roles: SUPERVISOR });
  const sessionView = async (sessionId: string, tenantId = TENANT_A) => {
    const response = await getSession(sessionId, tenantId);
    expect(response.status).toBe(200);
    return (await response.json()) as { state: string; version: number; metadata: Record<string, any> };
  };
  /** The session's events as they arrived on Kafka, once there are `count` of them. */
  const publishedOn = (sessionId: string, count: number, tenantId = TENANT_A) =>
    eventually(async () => {
      const mine = kafka.events.filter((m) => m.key === sessionId && m.event.tenantid === tenantId);
      return mine.length >= count ? mine : undefined;
    }, `${count} contact.session.v1 events of session ${sessionId}`);
  const storedCounts = async () => ({ sessions: await app.prisma.contactSession.count(), events: await app.prisma.contactSessionEvent.count(), outbox: (await app.outbox()).length });

  it('started → updated → ended publishes SessionStarted, SessionUpdated, SessionEnded in order, keyed by session id, with their payloads', async () => {
    const sessionId = newSessionId();
    const first = await accepted(started(sessionId, '2026-03-02T14:00:00Z', { ...contactSessionExamples.started, channel: undefined, sessionType: 'voice INBOUND' }));
    await accepted(updated(sessionId, '2026-03-02T14:06:00Z', contactSessionExamples.updated));
    const last = await accepted(ended(sessionId));
    expect([first.version, last.version]).toEqual([1, 3]);

    const messages = await publishedOn(sessionId, 3);
    expect(messages).toHaveLength(3);
    expect(messages.map((m) => [m.event.type, m.event.data['version']])).toEqual([
      [ContactSessionEventTypes.started, 1],
      [ContactSessionEventTypes.updated, 2],
      [ContactSessionEventTypes.ended, 3],
    ]);
    // Every message keeps its contract (consumers validate again on receipt).
    for (const message of messages) expect(() => eventCatalog.parse(Topics.contactSession, message.event)).not.toThrow();
    const [start, update, end] = messages.map((m) => m.event);
    expect(start?.id).toBe(first.eventId);
    expect(start?.data).toMatchObject({ sessionId, sessionType: 'Voice Inbound', channel: 'voice', endUser: { phoneNumber: '+14155552671', email: 'dana@example.com' }, queue: { id: '8469' }, supportNumber: '+18005550199', startedAt: '2026-03-02T14:00:00.000Z' });
    expect(update?.data).toMatchObject({ csat: { rating: 4 }, disposition: { code: 'billing-resolved' }, agentAssignment: { agentId: '17' } });
    expect(end?.data).toMatchObject({ outcome: 'completed', times: { endedAt: '2026-03-02T14:12:00.000Z' }, recordings: [{ id: 'rec-1' }] });
    expect(end?.data['metadata']).toMatchObject({
      schemaVersion: 1,
      version: 3,
      session: { id: sessionId, type: 'Voice Inbound', channel: 'voice', outcome: 'completed', queuedAt: '2026-03-02T14:00:20.000Z', queue: { id: '8469', path: 'Support / Billing' }, menuPath: 'Main menu > Billing > Speak to an agent' },
      endUser: { name: 'Dana Reyes', sdkIdentifier: 'acct-5521' },
      participants: [expect.objectContaining({ type: 'agent', id: '17', source: 'session' })],
      transfers: [expect.objectContaining({ toQueueId: '8470', source: 'session' })],
      durations: { waitSeconds: 70, handleSeconds: 690, holdSeconds: 45, talkSeconds: 600, wrapUpSeconds: 45 },
      csat: { rating: 4, feedback: 'Quick and friendly' },
      files: { recordings: [{ id: 'rec-1', url: 'https://media.example.com/recordings/call-103646.mp3', contentType: 'audio/mpeg' }] },
      diagnostics: { disconnectedBy: 'end_user', sessionEventCount: 3, adapterEventCount: 0, outOfOrderEventCount: 0 },
    });
    expect(await sessionView(sessionId)).toMatchObject({ state: 'ended', version: 3, metadata: { csat: { rating: 4 } } });
  });

  it("merges the agent adapter's events of the same session id: their agents and transfers appear in the session", async () => {
    const callId = Number(newSessionId().slice(-9));
    const sessionId = String(callId);
    const adapterSecret = secrets[TENANT_A] as string;
    const newCall = { type: 'New_Call', data: { call_id: callId, agent_id: 21, agent_email: 'ana@example.com', queue_id: 8469, session_type: 'Voice Inbound', campaign_id: 1432, campaign_name: 'Survey Movie' } };
    const transfer = { type: 'Transfer_Call', data: { call_id: callId, from_agent_id: 21, to_agent_id: 34, to_agent_email: 'lee@example.com' } };
    for (const event of [newCall, transfer]) expect((await app.postSigned('/adapter-events', TENANT_A, adapterSecret, event)).status).toBe(202);

    await accepted(started(sessionId));
    await accepted(ended(sessionId));

    const [, end] = await publishedOn(sessionId, 2);
    const metadata = end?.event.data['metadata'] as Record<string, any>;
    expect(metadata['participants']).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'agent', id: '21', email: 'ana@example.com', source: 'adapter' }),
        expect.objectContaining({ type: 'agent', id: '34', email: 'lee@example.com', source: 'adapter' }),
      ]),
    );
    expect(metadata['transfers']).toEqual([expect.objectContaining({ fromAgentId: '21', toAgentId: '34', source: 'adapter' })]);
    expect(metadata['session']).toMatchObject({ campaign: { id: '1432', name: 'Survey Movie' } });
    expect(metadata['diagnostics']).toMatchObject({ adapterEventCount: 2 });
    expect((await sessionView(sessionId)).metadata['participants']).toHaveLength(2);
  });

  it('EB2.2 an identical resend answers 202 with duplicate: true, stores and publishes nothing more', async () => {
    const sessionId = newSessionId();
    const body = JSON.stringify(started(sessionId));
    const first = await accepted(JSON.parse(body) as object);
    const before = await storedCounts();
    const again = await post(body);
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ eventId: first.eventId, sessionId, version: 1, duplicate: true });
    expect(await storedCounts()).toEqual(before);
    expect((await app.outbox({ key: sessionId })).map((row) => row.id)).toEqual([first.eventId]);
    // Concurrent copies of one new event: one is accepted, the others are duplicates of it.
    const racing = JSON.stringify(updated(sessionId, '2026-03-02T14:03:00Z', { csat: { rating: 3 } }));
    const answers = await Promise.all(Array.from({ length: 5 }, async () => (await post(racing)).json() as Promise<{ eventId: string; duplicate: boolean }>));
    expect(new Set(answers.map((a) => a.eventId)).size).toBe(1);
    expect(answers.filter((a) => !a.duplicate)).toHaveLength(1);
    expect(await app.outbox({ key: sessionId })).toHaveLength(2);
  });

  it('out of order: an update before the start is kept (pending → active), and the start then fills the session in', async () => {
    const sessionId = newSessionId();
    await accepted(updated(sessionId, '2026-03-02T14:01:30Z', { agentAssignment: { agentId: '17', assignedAt: '2026-03-02T14:01:30Z' } }));
    expect(await sessionView(sessionId)).toMatchObject({ state: 'pending', version: 1, metadata: { session: { type: null }, participants: [expect.objectContaining({ id: '17' })] } });
    await accepted(started(sessionId, '2026-03-02T14:00:00Z'));
    const view = await sessionView(sessionId);
    expect(view).toMatchObject({ state: 'active', version: 2, metadata: { session: { type: 'Voice Inbound' }, participants: [expect.objectContaining({ id: '17' })] } });
    expect(view.metadata['diagnostics']).toMatchObject({ outOfOrderEventCount: 1 });
    const messages = await publishedOn(sessionId, 2);
    expect(messages.map((m) => m.event.type)).toEqual([ContactSessionEventTypes.updated, ContactSessionEventTypes.started]);
  });

  it('out of order: a second, different end is refused (409) and changes nothing; a CSAT after the end re-issues SessionEnded with it', async () => {
    const sessionId = newSessionId();
    await accepted(started(sessionId));
    await accepted(ended(sessionId));
    const before = await storedCounts();
    const endedAgain = await post(ended(sessionId, '2026-03-02T14:20:00Z', { ...contactSessionExamples.ended, outcome: 'failed' }));
    expect(endedAgain.status).toBe(409);
    expect(((await endedAgain.json()) as { error: { code: string } }).error.code).toBe('SessionAlreadyEnded');
    const startedAgain = await post(started(sessionId, '2026-03-02T14:00:05Z'));
    expect(startedAgain.status).toBe(409);
    expect(((await startedAgain.json()) as { error: { code: string } }).error.code).toBe('SessionAlreadyStarted');
    expect(await storedCounts()).toEqual(before);

    await accepted(updated(sessionId, '2026-03-02T14:15:00Z', { csat: { rating: 5, feedback: 'Great' } }));
    const messages = await publishedOn(sessionId, 4);
    expect(messages.map((m) => [m.event.type, m.event.data['version']])).toEqual([
      [ContactSessionEventTypes.started, 1],
      [ContactSessionEventTypes.ended, 2],
      [ContactSessionEventTypes.updated, 3],
      [ContactSessionEventTypes.ended, 3],
    ]);
    expect(messages[1]?.event.data['metadata']).toMatchObject({ csat: null });
    expect(messages[3]?.event.data).toMatchObject({ outcome: 'completed', occurredAt: '2026-03-02T14:12:00.000Z', metadata: { version: 3, csat: { rating: 5, feedback: 'Great' } } });
    expect(await sessionView(sessionId)).toMatchObject({ state: 'ended', version: 3 });
  });

  it("tenant isolation: sessions are keyed by (tenant, session id); tenant B's same id is its own session and A's stays unseen", async () => {
    const sessionId = newSessionId();
    await accepted(started(sessionId));
    const other = await accepted(ended(sessionId), TENANT_B);
    expect(other.version).toBe(1);
    expect(await sessionView(sessionId)).toMatchObject({ state: 'active', version: 1 });
    expect(await sessionView(sessionId, TENANT_B)).toMatchObject({ state: 'ended', version: 1, metadata: { session: { type: null } } });
    expect((await getSession(sessionId, TENANT_WITHOUT_SECRET)).status).toBe(404);
    // Tenant B's secret cannot write as tenant A.
    const forged = await app.postSigned(EVENTS_PATH, TENANT_A, secrets[TENANT_B] as string, ended(sessionId));
    expect(forged.status).toBe(401);
    // The same signature check guards adapter events (one guard for both routes).
    expect((await app.postSigned('/adapter-events', TENANT_A, secrets[TENANT_B] as string, { type: 'New_Call', data: { call_id: sessionId } })).status).toBe(401);
    expect(await sessionView(sessionId)).toMatchObject({ state: 'active', version: 1 });
    const messagesOfB = await publishedOn(sessionId, 1, TENANT_B);
    expect(messagesOfB.map((m) => m.event.type)).toEqual([ContactSessionEventTypes.ended]);
  });

  describe('bad input gets a specific 4xx and stores nothing', () => {
    const sessionId = 'bad-input-session';
    const rows: { name: string; body: string | object; tenantId?: string; status: number; field?: string; message?: RegExp }[] = [
      { name: 'a tenant without an ingress secret', body: started(sessionId), tenantId: TENANT_WITHOUT_SECRET, status: 401 },
      { name: 'malformed JSON', body: '{"type": "session.started",', status: 400, message: /Malformed JSON at line 1/ },
      { name: 'an unknown event type', body: { ...started(sessionId), type: 'session.paused' }, status: 400, field: 'type' },
      { name: 'no session id', body: { type: 'session.started', occurredAt: '2026-03-02T14:00:00Z', data: contactSessionExamples.started }, status: 400, field: 'sessionId' },
      { name: 'a session id with spaces', body: started('call 1'), status: 400, field: 'sessionId' },
      { name: 'occurredAt not an instant', body: { ...started(sessionId), occurredAt: 'now' }, status: 400, field: 'occurredAt' },
      { name: 'an unknown top-level field', body: { ...started(sessionId), priority: 'high' }, status: 400, message: /Unrecognized key: "priority"/ },
      { name: 'a phone number not in E.164', body: started(sessionId, undefined, { ...contactSessionExamples.started, endUser: { phoneNumber: '(415) 555-2671' } }), status: 400, field: 'data.endUser.phoneNumber' },
      { name: 'an unknown session type', body: started(sessionId, undefined, { ...contactSessionExamples.started, sessionType: 'Carrier Pigeon' }), status: 400, field: 'data.sessionType' },
      { name: 'an update that says nothing', body: updated(sessionId, '2026-03-02T14:00:00Z', {}), status: 400, field: 'data' },
      { name: 'an end answered before it was queued', body: ended(sessionId, undefined, { ...contactSessionExamples.ended, times: { queuedAt: '2026-03-02T14:05:00Z', answeredAt: '2026-03-02T14:01:00Z', endedAt: '2026-03-02T14:12:00Z' } }), status: 400, field: 'data.times.answeredAt' },
    ];

    it.each(rows)('$name → $status', async ({ body, tenantId, status, field, message }) => {
      const before = await storedCounts();
      const response = await post(body, tenantId);
      expect(response.status).toBe(status);
      const { error } = (await response.json()) as { error: { message: string; details?: { field: string }[] } };
      if (field) expect(error.details?.map((d) => d.field)).toContain(field);
      if (message) expect(error.message).toMatch(message);
      expect(await storedCounts()).toEqual(before);
    });

    it('an unsigned post, or one whose body was changed after signing, is 401', async () => {
      const before = await storedCounts();
      const body = JSON.stringify(started(sessionId));
      const unsigned = await fetch(`${app.url}${EVENTS_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-switchboard-tenant': TENANT_A }, body });
      expect(unsigned.status).toBe(401);
      const signature = signBody(secrets[TENANT_A] as string, body);
      const changed = await fetch(`${app.url}${EVENTS_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-switchboard-tenant': TENANT_A, 'x-switchboard-signature': signature as string },
        body: body.replace('Voice Inbound', 'Voice Outbound Call'),
      });
      expect(changed.status).toBe(401);
      expect(await storedCounts()).toEqual(before);
    });

    it('GET answers 400 for a malformed session id, 404 for an unknown one, 401 without a token', async () => {
      expect((await getSession('x'.repeat(201))).status).toBe(400);
      const unknown = await getSession('never-seen');
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('SessionNotFound');
      expect((await fetch(`${app.url}/contact-sessions/never-seen`)).status).toBe(401);
      expect((await app.call('/contact-sessions/never-seen', { method: 'GET', tenantId: TENANT_A, roles: [Role.OmnichannelAgent] })).status).toBe(403);
    });
  });
});
