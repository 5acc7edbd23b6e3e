import { Role } from '@switchboard/auth';
import { Clock } from '@switchboard/clock';
import { createCloudEvent, Topics } from '@switchboard/contracts';
import { KafkaInboxTransport } from '@switchboard/messaging';
import { ServiceShutdown } from '@switchboard/service-kit';
import { eventually, ServerSentEvent, SseStream } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { EventBridgeTestApp, recordPop, startEventBridgeTestApp } from '../test-support/test-app';
import { AgentStreamHub } from './agent-stream-hub';
import { AgentStreamRetention } from './agent-stream-retention';
import { AgentStreamRepository } from './agent-stream.repository';

// Short platform timeouts and heartbeats, so that every stream here outlives the request timeout many times.
const ENV = {
  AGENT_STREAM_MAX_PER_AGENT: '2',
  AGENT_STREAM_MAX_PER_TENANT: '3',
  AGENT_STREAM_HEARTBEAT_MS: '200',
  HTTP_HEADERS_TIMEOUT_MS: '500',
  HTTP_REQUEST_TIMEOUT_MS: '1000',
  HTTP_KEEP_ALIVE_TIMEOUT_MS: '500',
};

const newTenant = () => randomUUID();
const recordUrl = (marker: string) => `https://crm.example.com/tickets/${marker}`;
const message = (event: ServerSentEvent) => JSON.parse(event.data) as { type: string; eventId: string; time: string; data: Record<string, unknown> };
const urlsOf = (events: ServerSentEvent[]) => events.map((event) => message(event).data['recordUrl']);

describe('agent streams: screen pops and session events pushed to agent pages (EB3.1)', () => {
  let app: EventBridgeTestApp;
  const streams: SseStream[] = [];

  const open = async (...args: Parameters<EventBridgeTestApp['openAgentStream']>) => {
    const stream = await app.openAgentStream(...args);
    streams.push(stream);
    return stream;
  };
  const pop = (tenantId: string, agentId: string, marker: string) => app.publish([recordPop(tenantId, { agentId, recordUrl: recordUrl(marker) })]);
  const stored = (tenantId: string, agentId: string) => app.prisma.agentStreamEntry.count({ where: { tenantId, agentId } });
  const storedAtLeast = (tenantId: string, agentId: string, count: number) =>
    eventually(async () => ((await stored(tenantId, agentId)) >= count ? true : undefined), `${count} stored entries for agent ${agentId}`);

  beforeAll(async () => {
    app = await startEventBridgeTestApp(ENV);
  });

  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
    vi.restoreAllMocks();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('EB3.1 a pop published on crm.record-pops.v1 reaches its agent, and neither another agent nor the same agent id of another tenant', async () => {
    const [tenant, otherTenant] = [newTenant(), newTenant()];
    const agent = await open(tenant, '17');
    const colleague = await open(tenant, '18');
    const namesake = await open(otherTenant, '17');
    expect(agent.status).toBe(200);
    expect(agent.headers['content-type']).toBe('text/event-stream; charset=utf-8');

    await pop(tenant, '17', 'for-17');
    const [event] = await agent.waitForEvents(1, "agent 17's pop");
    expect(event.event).toBe('CRM_Record_Pop');
    expect(event.id).toMatch(/^\d+$/);
    expect(message(event)).toMatchObject({ type: 'CRM_Record_Pop', data: { recordUrl: recordUrl('for-17') } });
    expect(message(event).data).not.toHaveProperty('agentId');

    // Each of the others gets its own pop first: had the first pop reached them, it would stand before it.
    await pop(tenant, '18', 'for-18');
    await pop(otherTenant, '17', 'for-other-17');
    expect(urlsOf(await colleague.waitForEvents(1))).toEqual([recordUrl('for-18')]);
    expect(urlsOf(await namesake.waitForEvents(1))).toEqual([recordUrl('for-other-17')]);
    expect(agent.events).toHaveLength(1);
  });

  it('EB3.1 P1.1 the agent and tenant come from the token only: ones in the query string are ignored', async () => {
    const tenant = newTenant();
    const victim = newTenant();
    const stream = await open(tenant, '30', { path: `?agentId=31&agent_id=31&tenantId=${victim}&tid=${victim}` });
    expect(stream.status).toBe(200);

    await pop(victim, '31', 'victim');
    await pop(tenant, '31', 'colleague');
    await pop(tenant, '30', 'own');
    expect(urlsOf(await stream.waitForEvents(1))).toEqual([recordUrl('own')]);
  });

  it('EB3.1 session events on agent.events.v1 reach the agent they name; a transfer reaches both agents', async () => {
    const tenant = newTenant();
    const [from, to, bystander] = [await open(tenant, '1'), await open(tenant, '5'), await open(tenant, '6')];
    const transfer = createCloudEvent({
      type: 'switchboard.agent.Transfer_Chat',
      source: '/switchboard/event-bridge',
      subject: '103646',
      tenantId: tenant,
      data: {
        adapterEventType: 'Transfer_Chat',
        sessionId: '103646',
        sessionKind: 'chat' as const,
        receivedAt: new Date().toISOString(),
        payload: { chat_id: 103646, session_type: 'Messaging Inbound (SMS)', from_agent_id: 1, to_agent_id: 5 },
      },
    });
    await app.publish([{ topic: Topics.agentEvents, event: transfer }]);

    for (const stream of [from, to]) {
      const [event] = await stream.waitForEvents(1);
      expect(event.event).toBe('Transfer_Chat');
      expect(message(event)).toMatchObject({ eventId: transfer.id, data: { chat_id: 103646, from_agent_id: 1, to_agent_id: 5 } });
    }
    await pop(tenant, '6', 'bystander');
    expect(urlsOf(await bystander.waitForEvents(1))).toEqual([recordUrl('bystander')]);
  });

  it('EB3.1 a page reconnecting with Last-Event-ID gets what it missed, in order, then live, each once', async () => {
    const tenant = newTenant();
    const first = await open(tenant, '40');
    await pop(tenant, '40', 'seen');
    const [seen] = await first.waitForEvents(1);
    first.close();
    await first.ended;

    await pop(tenant, '40', 'missed-1');
    await pop(tenant, '40', 'missed-2');
    await storedAtLeast(tenant, '40', 3);

    const again = await open(tenant, '40', { lastEventId: seen.id });
    await pop(tenant, '40', 'live');
    const events = await again.waitForEvents(3);
    expect(urlsOf(events)).toEqual([recordUrl('missed-1'), recordUrl('missed-2'), recordUrl('live')]);
    expect(events.map((event) => BigInt(event.id ?? 0))).toEqual([...events.map((event) => BigInt(event.id ?? 0))].sort((a, b) => (a < b ? -1 : 1)));
    expect(BigInt(events[0].id ?? 0)).toBeGreaterThan(BigInt(seen.id ?? 0));
  });

  it('EB3.1 a Last-Event-ID beyond every stored id (a database reset since) replays the window instead of hiding new entries', async () => {
    const tenant = newTenant();
    await pop(tenant, '41', 'after-reset');
    await storedAtLeast(tenant, '41', 1);
    const again = await open(tenant, '41', { lastEventId: '9223372036854775000' });
    await pop(tenant, '41', 'live');
    const events = await again.waitForEvents(2);
    expect(urlsOf(events)).toEqual([recordUrl('after-reset'), recordUrl('live')]);
  });

  it('EB3.1 entries committed while a stream switches from replay to live arrive once each, in order, with no gap', async () => {
    const tenant = newTenant();
    await pop(tenant, '41', 'before');
    await storedAtLeast(tenant, '41', 1);
    const [before] = await app.prisma.agentStreamEntry.findMany({ where: { tenantId: tenant, agentId: '41' } });

    // Pops keep committing, one transaction each, while the stream connects, replays and goes live.
    const markers = Array.from({ length: 30 }, (_, index) => `during-${index}`);
    const publishing = (async () => {
      for (const marker of markers) await pop(tenant, '41', marker);
    })();
    const stream = await open(tenant, '41', { lastEventId: (before.seq - 1n).toString() });
    await publishing;

    const events = await stream.waitForEvents(markers.length + 1);
    expect(urlsOf(events)).toEqual([recordUrl('before'), ...markers.map(recordUrl)]);
    const ids = events.map((event) => BigInt(event.id ?? 0));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id, index) => index === 0 || id > ids[index - 1])).toBe(true);
  });

  describe('EB3.1 the switch from replay to live, with a pop committing at each step of it', () => {
    /** Runs `step` inside the stream's replay read, and resolves once the pop it publishes was dispatched live. */
    const racingReplay = (marker: string, when: 'before the replay is read' | 'after the replay was read') => {
      const repository = app.app.get(AgentStreamRepository);
      const [readReplay, readAnnounced] = [repository.after.bind(repository), repository.inRange.bind(repository)];
      const popAndWaitForItsAnnouncement = async (tenantId: string, agentId: string) => {
        const dispatched = new Promise<void>((resolve) =>
          vi.spyOn(repository, 'inRange').mockImplementation(async (from, to) => {
            const entries = await readAnnounced(from, to);
            // Resolved after the hub's dispatch of these entries, which follows this read synchronously.
            if (entries.some((entry) => entry.dataJson.includes(marker))) setImmediate(resolve);
            return entries;
          }),
        );
        await pop(tenantId, agentId, marker);
        await dispatched;
      };
      vi.spyOn(repository, 'after').mockImplementationOnce(async (cursors, notBefore, limit) => {
        const [{ tenantId, agentId }] = cursors;
        if (when === 'before the replay is read') await popAndWaitForItsAnnouncement(tenantId, agentId);
        const replay = await readReplay(cursors, notBefore, limit);
        if (when === 'after the replay was read') await popAndWaitForItsAnnouncement(tenantId, agentId);
        return replay;
      });
    };

    it('EB3.1 a pop in both the replay and the live feed is sent once', async () => {
      const tenant = newTenant();
      racingReplay('racing', 'before the replay is read');
      const stream = await open(tenant, '52', { lastEventId: '0' });
      await pop(tenant, '52', 'next');
      expect(urlsOf(await stream.waitForEvents(2))).toEqual([recordUrl('racing'), recordUrl('next')]);
    });

    it('EB3.1 a pop committed after the replay was read, before the stream went live, is not lost', async () => {
      const tenant = newTenant();
      await pop(tenant, '53', 'replayed');
      await storedAtLeast(tenant, '53', 1);
      racingReplay('between', 'after the replay was read');
      const stream = await open(tenant, '53', { lastEventId: '0' });
      await pop(tenant, '53', 'next');
      expect(urlsOf(await stream.waitForEvents(3))).toEqual([recordUrl('replayed'), recordUrl('between'), recordUrl('next')]);
    });
  });

  it('EB3.1 a stream without Last-Event-ID starts live: nothing from before it connected is replayed', async () => {
    const tenant = newTenant();
    await pop(tenant, '42', 'old');
    await storedAtLeast(tenant, '42', 1);
    const stream = await open(tenant, '42');
    await pop(tenant, '42', 'new');
    expect(urlsOf(await stream.waitForEvents(1))).toEqual([recordUrl('new')]);
  });

  it('EB3.1 entries older than 15 minutes are not replayed, and the retention sweep deletes them', async () => {
    const tenant = newTenant();
    await pop(tenant, '43', 'stale');
    await pop(tenant, '43', 'fresh');
    await storedAtLeast(tenant, '43', 2);
    const [stale] = await app.prisma.agentStreamEntry.findMany({ where: { tenantId: tenant, agentId: '43' }, orderBy: { seq: 'asc' } });
    await app.prisma.agentStreamEntry.update({ where: { seq: stale.seq }, data: { createdAt: new Date(Date.now() - 16 * 60_000) } });

    const stream = await open(tenant, '43', { lastEventId: '0' });
    await pop(tenant, '43', 'live');
    expect(urlsOf(await stream.waitForEvents(2))).toEqual([recordUrl('fresh'), recordUrl('live')]);

    expect(await app.app.get(AgentStreamRetention).sweep()).toBeGreaterThanOrEqual(1);
    expect(await app.prisma.agentStreamEntry.findUnique({ where: { seq: stale.seq } })).toBeNull();
    expect(await stored(tenant, '43')).toBe(2);
  });

  it('EB3.1 the replay window is measured with the injectable Clock: 16 minutes later nothing is replayed', async () => {
    const tenant = newTenant();
    await pop(tenant, '44', 'earlier');
    await storedAtLeast(tenant, '44', 1);
    const later = new Date(Date.now() + 16 * 60_000);
    vi.spyOn(app.app.get(Clock), 'now').mockReturnValue(later);

    const stream = await open(tenant, '44', { lastEventId: '0' });
    await pop(tenant, '44', 'live');
    expect(urlsOf(await stream.waitForEvents(1))).toEqual([recordUrl('live')]);
  });

  it('EB3.1 a stream outlives the platform request timeout, with a heartbeat comment while it is quiet', async () => {
    const tenant = newTenant();
    const stream = await open(tenant, '45');
    // 200 ms apart: ten heartbeats take twice the 1 s request timeout.
    await eventually(async () => (stream.comments.filter((line) => line === 'keep-alive').length >= 10 ? true : undefined), 'ten heartbeats');
    await pop(tenant, '45', 'still-open');
    expect(urlsOf(await stream.waitForEvents(1))).toEqual([recordUrl('still-open')]);
  });

  it('EB3.1 P1.2 P1.3 a stream needs an agent token: 401 without one, 403 without an agent role; bad Last-Event-ID is a 400', async () => {
    const tenant = newTenant();
    const anonymous = await fetch(`${app.url}/agent-stream`);
    expect(anonymous.status).toBe(401);
    const admin = await open(tenant, '46', { roles: [Role.Administrator] });
    expect(admin.status).toBe(403);
    const bad = await open(tenant, '46', { lastEventId: 'abc' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(await bad.body())).toMatchObject({ error: { details: [{ field: 'Last-Event-ID' }] } });
  });

  it('EB3.1 P2.3 open streams are limited per agent and per tenant (429 with Retry-After)', async () => {
    const tenant = newTenant();
    await open(tenant, '47');
    await open(tenant, '47');
    const third = await open(tenant, '47');
    expect(third.status).toBe(429);
    expect(third.headers['retry-after']).toBe('5');
    expect(JSON.parse(await third.body())).toMatchObject({ error: { code: 'TooManyRequests' } });

    await open(tenant, '48');
    const overTenant = await open(tenant, '49');
    expect(overTenant.status).toBe(429);
    expect(JSON.parse(await overTenant.body()).error.message).toMatch(/organization/);

    // A closed stream frees its place.
    streams[0].close();
    await streams[0].ended;
    await eventually(async () => (app.app.get(AgentStreamHub).openStreams <= 2 ? true : undefined), 'the closed stream to be forgotten');
    expect((await open(tenant, '47')).status).toBe(200);
  });

  describe('two replicas sharing the database', () => {
    let replica: EventBridgeTestApp;
    let replicaShutDown = false;

    beforeAll(async () => {
      replica = await startEventBridgeTestApp({ ...ENV, SHUTDOWN_GRACE_MS: '60000' }, { replicaOf: app });
      // Only the first replica consumes from here on, so whatever the second one sends it read from Postgres.
      await replica.app.get(KafkaInboxTransport).close();
    });

    afterAll(async () => {
      if (!replicaShutDown) await replica?.close();
    });

    it('EB3.1 an agent connected to replica B receives a pop consumed by replica A (no sticky sessions)', async () => {
      const tenant = newTenant();
      const onB = await replica.openAgentStream(tenant, '50');
      const onA = await open(tenant, '50');
      streams.push(onB);

      await pop(tenant, '50', 'across-replicas');
      expect(urlsOf(await onB.waitForEvents(1))).toEqual([recordUrl('across-replicas')]);
      expect(urlsOf(await onA.waitForEvents(1))).toEqual([recordUrl('across-replicas')]);
      expect(onB.events[0].id).toBe(onA.events[0].id);
    });

    it('EB3.1 an entry stored while the replicas had lost their notification connection reaches the stream once it is back, once', async () => {
      const tenant = newTenant();
      const onB = await replica.openAgentStream(tenant, '52');
      streams.push(onB);
      const repository = app.app.get(AgentStreamRepository);
      const listeners = `FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN "${repository.channel}"'`;
      const listening = async () => (await app.prisma.sql.$queryRawUnsafe<{ pid: number }[]>(`SELECT pid ${listeners}`)).length;
      expect(await listening()).toBe(2);

      // Both replicas' LISTEN connections die; the entry commits before either is back (reconnecting takes a second).
      await app.prisma.sql.$queryRawUnsafe(`SELECT pg_terminate_backend(pid) ${listeners}`);
      await eventually(async () => ((await listening()) === 0 ? true : undefined), 'the LISTEN connections gone');
      const entry = { type: 'CRM_Record_Pop', eventId: randomUUID(), time: new Date().toISOString(), data: { recordUrl: recordUrl('while-unheard') } };
      await app.prisma.transaction((tx) => repository.append(tx, [{ tenantId: tenant, agentId: '52', type: 'CRM_Record_Pop', data: entry }]));

      expect(urlsOf(await onB.waitForEvents(1, 'the entry, after the notification connection came back'))).toEqual([recordUrl('while-unheard')]);
      await eventually(async () => ((await listening()) === 2 ? true : undefined), 'both replicas listening again');
      await pop(tenant, '52', 'after-reconnect');
      expect(urlsOf(await onB.waitForEvents(2))).toEqual([recordUrl('while-unheard'), recordUrl('after-reconnect')]);
    });

    it('P4.3 shutting a replica down ends its streams at once (pages reconnect elsewhere) instead of holding the drain', async () => {
      const tenant = newTenant();
      const onB = await replica.openAgentStream(tenant, '51');
      streams.push(onB);
      expect(onB.status).toBe(200);

      // The replica's grace is 60 s: were the stream left open, the drain (and this test) would wait it out.
      replicaShutDown = true;
      await replica.app.get(ServiceShutdown).shutdown('test');
      await onB.ended;
    });
  });
});
