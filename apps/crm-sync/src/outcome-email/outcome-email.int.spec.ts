import { Role } from '@switchboard/auth';
import { Clock, ManualClock } from '@switchboard/clock';
import { contactSessionExamples, ContactSessionEventTypes, createCloudEvent, sessionMetadataExample, Topics } from '@switchboard/contracts';
import { JobsService } from '@switchboard/jobs';
import { eventually, SmtpPeer, testInfra } from '@switchboard/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type CrmSyncTestApp, startCrmSyncTestApp } from '../test-support/crm-sync-test-app';
import { outcomeEmailKey, outcomeEmailQueue } from './outcome-email.queue';

const TENANT = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const OTHER_TENANT = 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e';
const TRANSCRIPT = 'Customer: Hi, my invoice is wrong.\nAgent: Let me fix that for you.\n';
const ENDED_AT = '2026-03-02T14:12:00.000Z';
const FIFTEEN_MINUTES = 15 * 60_000;
// The transcript server listens on 127.0.0.2, the only allow-listed address (P2.5).
const TRANSCRIPT_HOST = '127.0.0.2';

describe('session outcome e-mail (CS6): SessionEnded on Kafka → 15 minutes later (injected clock) → SMTP', () => {
  let app: CrmSyncTestApp;
  let smtp: SmtpPeer;
  let transcripts: Server;
  let transcriptUrl: string;
  let producer: Producer;
  let jobs: JobsService;
  const clock = new ManualClock(ENDED_AT);
  let sessionCounter = 0;

  const putSettings = (body: unknown, tenantId = TENANT, roles: Role[] = [Role.Administrator]) =>
    app.call('/crm/outcome-email/settings', { method: 'PUT', tenantId, roles, body: JSON.stringify(body) });
  const sessionEnded = (sessionId: string, overrides: { outcome?: string; queueId?: string; version?: number; transcripts?: unknown[]; tenantId?: string; csat?: unknown } = {}) => {
    const metadata = {
      ...sessionMetadataExample,
      session: { ...sessionMetadataExample.session, id: sessionId, channel: 'chat', outcome: overrides.outcome ?? 'completed', queue: { id: overrides.queueId ?? '8469', path: 'Support / Billing' } },
      ...(overrides.csat !== undefined ? { csat: overrides.csat } : {}),
      version: overrides.version ?? 5,
    };
    return createCloudEvent({
      type: ContactSessionEventTypes.ended,
      source: '/switchboard/event-bridge',
      subject: sessionId,
      tenantId: overrides.tenantId ?? TENANT,
      data: {
        ...contactSessionExamples.ended,
        sessionId,
        occurredAt: ENDED_AT,
        version: overrides.version ?? 5,
        outcome: overrides.outcome ?? 'completed',
        transcripts: overrides.transcripts ?? [{ id: 'tr-1', url: transcriptUrl, contentType: 'text/plain' }],
        metadata,
      },
    });
  };
  const publish = (...events: ReturnType<typeof sessionEnded>[]) =>
    producer.send({ topic: Topics.contactSession, messages: events.map((event) => ({ key: event.subject, value: JSON.stringify(event) })) });
  const jobOf = (sessionId: string, tenantId = TENANT) => jobs.find(outcomeEmailQueue, outcomeEmailKey(tenantId, sessionId));
  const scheduled = (sessionId: string, tenantId = TENANT) => eventually(() => jobOf(sessionId, tenantId), `the outcome e-mail job of ${sessionId}`, 20_000);
  const nextSession = () => `chat-${Date.now()}-${++sessionCounter}`;
  const mailsFor = (sessionId: string) => smtp.received.filter((received) => received.mail.subject?.includes(sessionId));

  beforeAll(async () => {
    smtp = await SmtpPeer.start();
    transcripts = createServer((request, response) => {
      if (request.url === '/transcripts/tr-1') return void response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(TRANSCRIPT);
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => transcripts.listen(0, TRANSCRIPT_HOST, resolve));
    transcriptUrl = `http://${TRANSCRIPT_HOST}:${(transcripts.address() as AddressInfo).port}/transcripts/tr-1`;
    app = await startCrmSyncTestApp({ OUTBOUND_HTTP_ALLOW: `${TRANSCRIPT_HOST}/32`, OUTCOME_EMAIL_SMTP_URL: smtp.url, OUTCOME_EMAIL_FROM: 'Contact Center <no-reply@switchboard.example>', JOBS_POLL_INTERVAL_MS: '0' });
    jobs = app.app.get(JobsService);
    // The app's Clock reads the manual one: "15 minutes later" is a step of the test, not a wait.
    vi.spyOn(app.app.get(Clock), 'now').mockImplementation(() => clock.now());
    producer = new Kafka({ clientId: 'outcome-email-test', brokers: testInfra().kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
  }, 60_000);
  afterAll(async () => {
    await producer?.disconnect();
    await app?.close();
    await smtp?.close();
    await new Promise((resolve) => transcripts?.close(resolve));
  });
  beforeEach(async () => {
    clock.set(ENDED_AT);
    const saved = await putSettings({ global: { enabled: true, address: 'team@example.com' }, queues: [{ queueId: '9000', enabled: true, address: 'vip@example.com' }], subject: 'Outcome of {SESSION_ID} ({QUEUE_NAME})' });
    expect(saved.status).toBe(200);
  });

  it('CS6.2 a completed session: nothing before 15 minutes; then one mail from the no-reply sender with subject, metadata JSON body and the transcript .txt; redelivery sends once', async () => {
    const sessionId = nextSession();
    const ended = sessionEnded(sessionId);
    await publish(ended);
    await scheduled(sessionId);
    expect(await jobOf(sessionId)).toMatchObject({ status: 'pending', runAt: new Date(Date.parse(ENDED_AT) + FIFTEEN_MINUTES) });

    clock.advance(FIFTEEN_MINUTES - 1_000);
    await jobs.runDueJobs();
    expect(mailsFor(sessionId)).toHaveLength(0);

    clock.advance(1_000);
    await jobs.runDueJobs();
    const [received] = mailsFor(sessionId);
    expect(received?.envelope).toEqual({ from: 'no-reply@switchboard.example', to: ['team@example.com'] });
    expect(received?.mail.from?.value[0]).toMatchObject({ name: 'Contact Center', address: 'no-reply@switchboard.example' });
    expect(received?.mail.subject).toBe(`Outcome of ${sessionId} (Support / Billing)`);
    expect(JSON.parse(received?.mail.text ?? '')).toMatchObject({ schemaVersion: 1, session: { id: sessionId, outcome: 'completed' }, endUser: sessionMetadataExample.endUser });
    expect(received?.mail.attachments.map((attachment) => ({ filename: attachment.filename, type: attachment.contentType, text: attachment.content.toString('utf8') }))).toEqual([
      { filename: `transcript-${sessionId}.txt`, type: 'text/plain', text: TRANSCRIPT },
    ]);
    expect(await jobOf(sessionId)).toMatchObject({ status: 'succeeded' });

    // The same event again (a redelivery) and a later run: still one mail.
    await publish(ended);
    clock.advance(FIFTEEN_MINUTES);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await jobs.runDueJobs();
    expect(mailsFor(sessionId)).toHaveLength(1);
  });

  it('CS6.2 failed and abandoned sessions get no mail (no job either)', async () => {
    const failed = nextSession();
    const abandoned = nextSession();
    const completed = nextSession();
    await publish(sessionEnded(failed, { outcome: 'failed' }), sessionEnded(abandoned, { outcome: 'abandoned' }), sessionEnded(completed));
    await scheduled(completed);
    expect(await jobOf(failed)).toBeUndefined();
    expect(await jobOf(abandoned)).toBeUndefined();
    clock.advance(FIFTEEN_MINUTES);
    await jobs.runDueJobs();
    expect(mailsFor(failed)).toHaveLength(0);
    expect(mailsFor(abandoned)).toHaveLength(0);
    expect(mailsFor(completed)).toHaveLength(1);
  });

  it('CS6.1 a queue of its own overrides the global address; a re-issued SessionEnded (higher version) refreshes the metadata of the one mail', async () => {
    const sessionId = nextSession();
    await publish(sessionEnded(sessionId, { queueId: '9000', transcripts: [] }));
    await scheduled(sessionId);
    await publish(sessionEnded(sessionId, { queueId: '9000', transcripts: [], version: 6, csat: { rating: 5, feedback: 'late but great' } }));
    const refreshed = async () => ((await app.prisma.outcomeEmail.findUnique({ where: { tenantId_sessionId: { tenantId: TENANT, sessionId } } }))?.version === 6 ? true : undefined);
    await eventually(refreshed, 'the metadata of version 6', 20_000);
    clock.advance(FIFTEEN_MINUTES);
    await jobs.runDueJobs();
    const mails = mailsFor(sessionId);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.envelope.to).toEqual(['vip@example.com']);
    expect(JSON.parse(mails[0]?.mail.text ?? '')).toMatchObject({ version: 6, csat: { rating: 5 } });
    expect(mails[0]?.mail.attachments).toHaveLength(0);
  });

  it('CS6.1 settings turned off during the 15 minutes: no mail; a tenant without settings: no job', async () => {
    const sessionId = nextSession();
    await publish(sessionEnded(sessionId), sessionEnded(sessionId, { tenantId: OTHER_TENANT }));
    await scheduled(sessionId);
    expect((await putSettings({ global: { enabled: false, address: 'team@example.com' }, queues: [] })).status).toBe(200);
    clock.advance(FIFTEEN_MINUTES);
    await jobs.runDueJobs();
    expect(mailsFor(sessionId)).toHaveLength(0);
    expect(await jobOf(sessionId, OTHER_TENANT)).toBeUndefined();
  });

  it('CS6.2 P3.4 an SMTP server refusing (451) is retried by the durable job until the mail goes out, once', async () => {
    const sessionId = nextSession();
    await publish(sessionEnded(sessionId));
    await scheduled(sessionId);
    smtp.failNext(451, 'Try again later');
    clock.advance(FIFTEEN_MINUTES);
    await jobs.runDueJobs();
    const retried = await jobOf(sessionId);
    expect(retried).toMatchObject({ status: 'pending', attempts: 1 });
    expect(retried?.lastError).toMatch(/451/);
    expect(mailsFor(sessionId)).toHaveLength(0);
    clock.advance(60 * 60_000);
    await jobs.runDueJobs();
    expect(mailsFor(sessionId)).toHaveLength(1);
  });

  it('P2.5 CS6.2 a transcript URL at the cloud metadata address is never fetched: the mail goes without it and says why', async () => {
    const sessionId = nextSession();
    await publish(sessionEnded(sessionId, { transcripts: [{ id: 'tr-meta', url: 'http://169.254.169.254/latest/meta-data/iam' }] }));
    await scheduled(sessionId);
    clock.advance(FIFTEEN_MINUTES);
    await jobs.runDueJobs();
    const [received] = mailsFor(sessionId);
    expect(received?.mail.attachments).toHaveLength(0);
    expect(received?.mail.text).toMatch(/^The transcript tr-meta could not be attached: .*169\.254\.169\.254/);
  });

  it.each([
    ['a bad global address', { global: { enabled: true, address: 'not-an-address' } }, 'global.address'],
    ['a queue twice', { global: { enabled: true, address: null }, queues: [{ queueId: '1', enabled: true }, { queueId: '1', enabled: false }] }, 'queues'],
    ['a subject with a line break (header injection)', { global: { enabled: false }, subject: 'Hi\r\nBcc: victim@example.com' }, 'subject'],
    ['an unknown key', { global: { enabled: false }, cc: 'x@example.com' }, 'cc'],
  ])('CS6.1 P2.1 %s is 400 naming %s, nothing changed', async (_what, body, field) => {
    const response = await putSettings(body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { details: { field: string }[] } }).error.details.map((detail) => detail.field)).toContain(field);
    const stored = await app.prisma.outcomeEmailSettings.findUniqueOrThrow({ where: { tenantId: TENANT } });
    expect(stored.globalAddress).toBe('team@example.com');
  });

  it('P1.1 P1.3 settings are for administrators, per tenant', async () => {
    expect((await putSettings({ global: { enabled: false } }, TENANT, [Role.OmnichannelSupervisor])).status).toBe(403);
    const other = await app.call('/crm/outcome-email/settings', { method: 'GET', tenantId: OTHER_TENANT, roles: [Role.Administrator] });
    expect(other.status).toBe(404);
    const own = await app.call('/crm/outcome-email/settings', { method: 'GET', tenantId: TENANT, roles: [Role.Administrator] });
    expect(await own.json()).toMatchObject({ global: { enabled: true, address: 'team@example.com' } });
  });
});
