import { Role } from '@switchboard/auth';
import { eventually } from '@switchboard/testing';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBridgeTestApp, PublishedEvent, readAgentEvents, startEventBridgeTestApp } from '../test-support/test-app';

const TENANT_A = randomUUID();
const TENANT_B = randomUUID();
const SECRET_A = `tenant-a-secret-${randomUUID()}`;
const SECRET_B = `tenant-b-secret-${randomUUID()}`;
const CUSTOM_DATA_KEY_A = `custom-data-key-${randomUUID()}`;
const FIXTURES = join(__dirname, '../../../../libs/contracts/src/agent/fixtures');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

const event = (type: string, data: Record<string, unknown>, id?: string) => ({ ...(id ? { id } : {}), type, data });

describe('event-bridge ingests every adapter event (EB1, EB2)', () => {
  let app: EventBridgeTestApp;
  let kafka: Awaited<ReturnType<typeof readAgentEvents>>;

  beforeAll(async () => {
    app = await startEventBridgeTestApp({ ADAPTER_EVENT_SIGNATURE_TOLERANCE_SEC: '60' });
    await app.setSecret(TENANT_A, 'ingress-secret', { secret: SECRET_A });
    await app.setSecret(TENANT_B, 'ingress-secret', { secret: SECRET_B });
    await app.setSecret(TENANT_A, 'custom-data-key', { key: CUSTOM_DATA_KEY_A });
    kafka = await readAgentEvents([TENANT_A, TENANT_B]);
  }, 60_000);

  afterAll(async () => {
    await kafka?.stop();
    await app?.close();
  });

  const postA = (path: string, body: unknown, options?: { timestamp?: number }) => app.postSigned(path, TENANT_A, SECRET_A, typeof body === 'string' ? body : JSON.stringify(body), options);
  const published = (predicate: (message: PublishedEvent) => boolean) => kafka.events.filter(predicate);
  const waitForPublished = (predicate: (message: PublishedEvent) => boolean, count: number, what: string) =>
    eventually(async () => (published(predicate).length >= count ? published(predicate) : undefined), what);

  it('EB1.1 b / EB2.1 a signed New_Call is stored, acknowledged once durable and published keyed by its call id', async () => {
    const callId = `call-${randomUUID()}`;
    const response = await postA('/adapter-events', event('New_Call', { call_id: callId, agent_id: 7, session_type: 'VOICE INBOUND' }));
    expect(response.status).toBe(202);
    const { eventId, duplicate } = (await response.json()) as { eventId: string; duplicate: boolean };
    expect(duplicate).toBe(false);

    const row = await app.prisma.adapterEvent.findUniqueOrThrow({ where: { id: eventId } });
    expect(row).toMatchObject({ tenantId: TENANT_A, sessionId: callId, sessionKind: 'call', agentId: '7', ingress: 'signed', sessionType: 'Voice Inbound' });
    const [message] = await waitForPublished((m) => m.event.id === eventId, 1, 'the New_Call on agent.events.v1');
    expect(message?.key).toBe(callId);
    expect(message?.event).toMatchObject({ type: 'switchboard.agent.New_Call', tenantid: TENANT_A, subject: callId });
    expect(message?.event.data).toMatchObject({ adapterEventType: 'New_Call', sessionId: callId, sessionKind: 'call', agentId: '7', sessionType: 'Voice Inbound', ingress: 'signed' });
  });

  it.each([
    'agent-login.json',
    'new-call.json',
    'end-call.json',
    'new-chat.json',
    'end-chat.json',
    'active-chat.json',
    'chat-inbound-message.json',
    'chat-outbound-message.json',
    'dismissed-chat.json',
    'cobrowse-session-started.json',
    'cobrowse-session-remote-control-changed.json',
    'cobrowse-session-full-device-changed.json',
    'cobrowse-session-ended.json',
    'transfer-chat.json',
    'party-added.json',
    'agent-joined-chat.json',
    'agent-logout.json',
    'agent-assist-started.json',
  ])("EB1.2 the source's sample %s is accepted as sent (repaired where broken)", async (file) => {
    // A fresh tenant per sample: the samples share ids, and the same content twice would be a duplicate.
    const tenant = randomUUID();
    await app.setSecret(tenant, 'ingress-secret', { secret: SECRET_A });
    const response = await app.postSigned('/adapter-events', tenant, SECRET_A, fixture(file));
    expect(response.status, await response.clone().text()).toBe(202);
  });

  it.each([
    ['agent-login.seed.txt', 7, 3],
    ['agent-logout.seed.txt', 7, 3],
    ['agent-joined-chat.seed.txt', 13, 3],
    ['transfer-chat.seed.txt', 12, 5],
  ])('EB1.5 the unrepaired sample %s is refused with 400 naming line %i, column %i', async (file, line, column) => {
    const before = await app.prisma.adapterEvent.count();
    const response = await postA('/adapter-events', fixture(file));
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('BadRequest');
    expect(error.message).toMatch(new RegExp(`^Malformed JSON at line ${line}, column ${column}: `));
    expect(await app.prisma.adapterEvent.count()).toBe(before);
  });

  it('EB1.5 keeps an event of an unknown type and publishes it as switchboard.agent.Unknown', async () => {
    const chatId = `chat-${randomUUID()}`;
    const response = await postA('/adapter-events', event('Chat_Hold_Started', { chat_id: chatId, hold_reason: 'lookup' }));
    expect(response.status).toBe(202);
    const [message] = await waitForPublished((m) => m.key === chatId, 1, 'the unknown event');
    expect(message?.event.type).toBe('switchboard.agent.Unknown');
    expect(message?.event.data).toMatchObject({ adapterEventType: 'Chat_Hold_Started', payload: { chat_id: chatId, hold_reason: 'lookup' } });
  });

  it('EB2.2 / EB2.1 the same batch sent twice is stored and published once, each session in order on one partition', async () => {
    const calls = [`call-${randomUUID()}`, `call-${randomUUID()}`];
    const chat = `chat-${randomUUID()}`;
    const batch = [
      event('New_Call', { call_id: calls[0], agent_id: 1 }),
      event('New_Chat', { chat_id: chat, agent_id: 2 }),
      event('New_Call', { call_id: calls[1], agent_id: 3 }),
      event('Chat_Inbound_Message', { chat_id: chat, message: 'hello' }, 'msg-1'),
      event('Chat_Inbound_Message', { chat_id: chat, message: 'hello' }, 'msg-2'),
      event('End_Call', { call_id: calls[0] }),
      event('End_Chat', { chat_id: chat }),
      event('End_Call', { call_id: calls[1] }),
    ];
    const ours = (m: PublishedEvent) => [...calls, chat].includes(m.key);

    const first = await postA('/adapter-events/batch', batch);
    expect(first.status).toBe(200);
    const firstResult = (await first.json()) as { accepted: number; duplicates: number; results: { status: string; eventId: string }[] };
    expect(firstResult).toMatchObject({ accepted: 8, duplicates: 0, rejected: 0 });

    const second = await postA('/adapter-events/batch', batch);
    expect(second.status).toBe(200);
    const secondResult = (await second.json()) as typeof firstResult;
    expect(secondResult).toMatchObject({ accepted: 0, duplicates: 8, rejected: 0 });
    expect(secondResult.results.map((r) => r.eventId)).toEqual(firstResult.results.map((r) => r.eventId));

    // The outbox holds each event once, so Kafka gets each once; wait until all are there and published.
    const outbox = (await app.outbox()).filter((row) => [...calls, chat].includes(row.key));
    expect(outbox).toHaveLength(8);
    await eventually(async () => ((await app.outbox()).every((row) => row.publishedAt !== null) ? true : undefined), 'the outbox relayed');
    const messages = await waitForPublished(ours, 8, 'the batch on agent.events.v1');
    expect(messages).toHaveLength(8);
    expect(new Set(messages.map((m) => m.event.id))).toEqual(new Set(firstResult.results.map((r) => r.eventId)));

    for (const session of [...calls, chat]) {
      const inSession = messages.filter((m) => m.key === session);
      expect(new Set(inSession.map((m) => m.partition)).size).toBe(1);
      const byOffset = [...inSession].sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)));
      const sentOrder = batch.filter((e) => Object.values(e.data).includes(session)).map((e) => e.type + (e.id ?? ''));
      expect(byOffset.map((m) => (m.event.data['adapterEventType'] as string) + ((m.event.data['senderEventId'] as string) ?? ''))).toEqual(sentOrder);
    }
  });

  it('EB2.2 a single event resent, also re-serialised, is a duplicate with the first id', async () => {
    const callId = `call-${randomUUID()}`;
    const first = (await (await postA('/adapter-events', `{"type":"New_Call","data":{"call_id":"${callId}","agent_id":1}}`)).json()) as { eventId: string };
    const resend = await postA('/adapter-events', `{ "data": { "agent_id": 1, "call_id": "${callId}" }, "type": "New_Call" }`);
    expect(resend.status).toBe(202);
    expect(await resend.json()).toEqual({ eventId: first.eventId, duplicate: true });
    expect(await app.prisma.adapterEvent.count({ where: { tenantId: TENANT_A, sessionId: callId } })).toBe(1);
  });

  it('EB2.2 the same event sent by several retrying senders at once is stored and queued once', async () => {
    const callId = `call-${randomUUID()}`;
    const body = JSON.stringify(event('New_Call', { call_id: callId, agent_id: 3 }));
    const answers = await Promise.all(Array.from({ length: 8 }, () => app.postSigned('/adapter-events', TENANT_A, SECRET_A, body)));
    const results = (await Promise.all(answers.map((answer) => answer.json()))) as { eventId: string; duplicate: boolean }[];
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(202));
    expect(results.filter((result) => !result.duplicate)).toHaveLength(1);
    expect(new Set(results.map((result) => result.eventId)).size).toBe(1);
    expect(await app.outbox({ key: callId })).toHaveLength(1);
  });

  it('EB1.1 b a bad event in a batch is rejected alone (207); the others are stored', async () => {
    const chat = `chat-${randomUUID()}`;
    const response = await postA('/adapter-events/batch', [event('New_Chat', { chat_id: chat }), event('New_Call', { chat_id: chat }), event('End_Chat', { chat_id: chat, queue_id: true })]);
    expect(response.status).toBe(207);
    const result = (await response.json()) as { accepted: number; rejected: number; results: { index: number; status: string; error?: { code: string; details: { field: string }[] } }[] };
    expect(result).toMatchObject({ accepted: 1, rejected: 2 });
    expect(result.results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'rejected']);
    expect(result.results[1]?.error).toMatchObject({ code: 'BadRequest', details: [{ field: 'data.call_id' }] });
    expect(result.results[2]?.error).toMatchObject({ code: 'BadRequest', details: [{ field: 'data.queue_id' }] });
    expect(await app.prisma.adapterEvent.count({ where: { sessionId: chat } })).toBe(1);
  });

  it('EB1.1 b / P1.4 refuses a signature older than the configured window, accepts one inside it', async () => {
    const now = Math.floor(Date.now() / 1000);
    const body = event('New_Call', { call_id: `call-${randomUUID()}` });
    const stale = await postA('/adapter-events', body, { timestamp: now - 61 });
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { error: { code: string } }).error.code).toBe('StaleSignature');
    expect((await postA('/adapter-events', body, { timestamp: now - 50 })).status).toBe(202);
  });

  it("P1.1 tenant B's secret cannot sign for tenant A, and tenant A's events never appear under tenant B", async () => {
    const callId = `call-${randomUUID()}`;
    const forged = await app.postSigned('/adapter-events', TENANT_A, SECRET_B, JSON.stringify(event('New_Call', { call_id: callId })));
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('InvalidSignature');
    expect(await app.prisma.adapterEvent.count({ where: { sessionId: callId } })).toBe(0);

    expect((await postA('/adapter-events', event('New_Call', { call_id: callId }))).status).toBe(202);
    // The same content from tenant B is tenant B's own event, not a duplicate of tenant A's.
    const fromB = await app.postSigned('/adapter-events', TENANT_B, SECRET_B, JSON.stringify(event('New_Call', { call_id: callId })));
    expect(((await fromB.json()) as { duplicate: boolean }).duplicate).toBe(false);
    const messages = await waitForPublished((m) => m.key === callId, 2, 'both tenants’ events');
    expect(messages.map((m) => m.event.tenantid).sort()).toEqual([TENANT_A, TENANT_B].sort());
    const rows = await app.prisma.adapterEvent.findMany({ where: { sessionId: callId } });
    expect(rows.map((row) => row.tenantId).sort()).toEqual([TENANT_A, TENANT_B].sort());
  });

  describe('from an agent page (EB1.1 a)', () => {
    it("takes tenant and agent from the token, never from the body", async () => {
      const chatId = `chat-${randomUUID()}`;
      const response = await app.postFromAgent(TENANT_A, 'agent-kim', JSON.stringify(event('New_Chat', { chat_id: chatId, agent_id: 999 })));
      expect(response.status).toBe(202);
      const { eventId } = (await response.json()) as { eventId: string };
      const row = await app.prisma.adapterEvent.findUniqueOrThrow({ where: { id: eventId } });
      expect(row).toMatchObject({ tenantId: TENANT_A, agentId: 'agent-kim', ingress: 'agent', payload: { chat_id: chatId, agent_id: 999 } });
      const [message] = await waitForPublished((m) => m.event.id === eventId, 1, 'the agent page event');
      expect(message?.event.data).toMatchObject({ agentId: 'agent-kim', ingress: 'agent' });
    });

    it('keys Agent_Login by the token agent and flushes a queue as an array, duplicates by id', async () => {
      const queue = [event('Agent_Login', { agent_id: 1 }, `q-${randomUUID()}`), event('New_Call', { call_id: `call-${randomUUID()}` }, `q-${randomUUID()}`)];
      const first = await app.postFromAgent(TENANT_A, 'agent-ira', JSON.stringify(queue));
      expect(first.status).toBe(200);
      expect(await first.json()).toMatchObject({ accepted: 2, duplicates: 0, rejected: 0 });
      const again = await app.postFromAgent(TENANT_A, 'agent-ira', JSON.stringify(queue));
      expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 2, rejected: 0 });
      const login = await app.prisma.adapterEvent.findFirstOrThrow({ where: { tenantId: TENANT_A, adapterEventType: 'Agent_Login', agentId: 'agent-ira' } });
      expect(login).toMatchObject({ sessionId: 'agent-ira', sessionKind: 'agent' });
    });

    it.each([
      [[Role.OmnichannelSupervisor], 403],
      [[Role.Administrator], 403],
    ])('P1.3 refuses a token with roles %j (%i)', async (roles, status) => {
      const response = await fetch(`${app.url}/adapter-events/from-agent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await app.token(TENANT_A, roles)}` },
        body: JSON.stringify(event('New_Call', { call_id: 'c' })),
      });
      expect(response.status).toBe(status);
    });
  });

  describe('custom_data_secured (EB1.3)', () => {
    const sign = (claims: Record<string, unknown>, key: string) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().sign(new TextEncoder().encode(key));

    async function ingestWithCustomData(tenant: string, secret: string, token: string) {
      const callId = `call-${randomUUID()}`;
      const response = await app.postSigned('/adapter-events', tenant, secret, JSON.stringify(event('New_Call', { call_id: callId, custom_data_secured: token })));
      expect(response.status).toBe(202);
      const { eventId } = (await response.json()) as { eventId: string };
      const [message] = await waitForPublished((m) => m.event.id === eventId, 1, 'the event with custom data');
      return { row: await app.prisma.adapterEvent.findUniqueOrThrow({ where: { id: eventId } }), data: message?.event.data };
    }

    it('EB1.3 a token signed with the tenant key is verified and its claims travel', async () => {
      const { row, data } = await ingestWithCustomData(TENANT_A, SECRET_A, await sign({ account: 'ACME-42', tier: 'gold' }, CUSTOM_DATA_KEY_A));
      expect(row.customDataVerified).toBe(true);
      expect(data).toMatchObject({ customDataVerified: true, customData: { account: 'ACME-42', tier: 'gold' } });
    });

    it('EB1.3 a token with a wrong signature is kept, marked unverified, and its claims are not trusted', async () => {
      const { row, data } = await ingestWithCustomData(TENANT_A, SECRET_A, await sign({ account: 'EVIL-1' }, 'some-other-key-of-at-least-32-chars!'));
      expect(row.customDataVerified).toBe(false);
      expect(data?.['customDataVerified']).toBe(false);
      expect(data).not.toHaveProperty('customData');
    });

    it("EB1.3 / P1.1 a tenant without a key verifies nothing, even a token signed with another tenant's key", async () => {
      const { row, data } = await ingestWithCustomData(TENANT_B, SECRET_B, await sign({ account: 'ACME-42' }, CUSTOM_DATA_KEY_A));
      expect(row.customDataVerified).toBe(false);
      expect(data).not.toHaveProperty('customData');
    });
  });
});
