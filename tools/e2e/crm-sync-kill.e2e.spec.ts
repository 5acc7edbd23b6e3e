import { Role } from '@switchboard/auth';
import { ContactSessionEventTypes, contactSessionExamples, sessionMetadataExample, Topics } from '@switchboard/contracts';
import { CrmSimulator, crmSimulatorEndpoints } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrashProbe, EventPublisher, killOnRequest, processOf } from './support/crash-recovery';
import { eventually, startTestStack, type TestStack } from './support/test-stack';

const TENANT = randomUUID();
const CRM_AUTH = { username: 'switchboard', password: `crm-${randomUUID()}` };
const SESSIONS = 12;
/** Each CRM answer takes this long, so that a kill lands with calls on the wire. */
const CRM_LATENCY_MS = 150;
/** Bounds for work across processes on a busy two-core machine; nothing asserted depends on them. */
const FLOW_TIMEOUT_MS = 60_000;
const COMMENTS_PER_SESSION = 5;

interface Session {
  id: string;
  phone: string;
  name: string;
}

const sessions: Session[] = Array.from({ length: SESSIONS }, (_, index) => ({
  id: `kill-${randomUUID().slice(0, 8)}`,
  phone: `+1415555${String(1000 + index)}`,
  name: `Customer ${index}`,
}));

/** The platform's events of one voice session (contract examples with this session's id and customer). */
const sessionStarted = (session: Session) => ({
  type: ContactSessionEventTypes.started,
  subject: session.id,
  data: { ...contactSessionExamples.started, endUser: { phoneNumber: session.phone, name: session.name }, sessionId: session.id, occurredAt: contactSessionExamples.started.startedAt, version: 1 },
});
const sessionUpdated = (session: Session) => ({
  type: ContactSessionEventTypes.updated,
  subject: session.id,
  data: { ...contactSessionExamples.updated, sessionId: session.id, occurredAt: '2026-03-02T14:07:00.000Z', version: 2 },
});
const sessionEnded = (session: Session) => ({
  type: ContactSessionEventTypes.ended,
  subject: session.id,
  data: {
    ...contactSessionExamples.ended,
    sessionId: session.id,
    occurredAt: contactSessionExamples.ended.times.endedAt,
    version: 3,
    metadata: { ...sessionMetadataExample, session: { ...sessionMetadataExample.session, id: session.id }, endUser: { ...sessionMetadataExample.endUser, phoneNumber: session.phone, name: session.name } },
  },
});

/**
 * Issue 9: crm-sync SIGKILLed mid-work, as a separate process, and started again. Twelve sessions go through
 * contact.session.v1 into the reference CRM (find-or-create account, create record, five comments, update)
 * while crm-sync is killed twice: once while accounts and records are being created, once while comments and
 * updates are on their way. One account per customer, one record per session, every comment there once, the
 * update applied: a call whose answer the kill cut is sent again by the step's next try with the same
 * Idempotency-Key, and the reference CRM, which honours the header, answers it from its store instead of posting
 * the comment a second time.
 */
describe('crm-sync killed (SIGKILL) mid-flow and restarted: one account, one record, every comment once, the update (issue 9, CS2.3, CS2.4, CS2.5, CS2.7, CS2.8)', () => {
  let stack: TestStack;
  let crm: CrmSimulator;
  let probe: CrashProbe;
  let publisher: EventPublisher;

  beforeAll(async () => {
    crm = await CrmSimulator.start({ host: '127.0.0.1', auth: { type: 'basic', ...CRM_AUTH }, latencyMs: CRM_LATENCY_MS });
    stack = await startTestStack(['crm-sync'], { OUTBOUND_HTTP_ALLOW: '127.0.0.1' });
    [probe, publisher] = await Promise.all([CrashProbe.connect(stack.databaseUrl), EventPublisher.connect(stack.kafkaBrokers)]);
    await put('/crm/custom/settings', { auth: { type: 'basic', ...CRM_AUTH }, phoneFormat: 'e164', reuseExistingRecords: false, endpoints: crmSimulatorEndpoints(crm.url) });
    await put('/crm/session-flows/settings', { retryPolicy: 'standard', comments: { events: ['session_start', 'session_end', 'csat', 'transfer', 'disposition'], format: 'text' } });
  }, 180_000);

  afterAll(async () => {
    await publisher?.close();
    await probe?.close();
    await stack?.stop();
    await crm?.close();
  });

  async function put(path: string, body: unknown): Promise<void> {
    const response = await stack.call('crm-sync', path, { method: 'PUT', tenantId: TENANT, roles: [Role.Administrator], body: JSON.stringify(body) });
    expect(response.status, await response.text()).toBe(200);
  }

  const accountsOf = (session: Session) => [...crm.store.accounts.values()].filter((account) => account['Phone'] === session.phone);
  const recordsOf = (session: Session) => [...crm.store.records.values()].filter((record) => String(record['subject']).includes(session.id));
  const commentsOf = (session: Session) => {
    const ids = new Set(recordsOf(session).map((record) => record.id));
    return crm.store.comments.filter((comment) => ids.has(comment.recordId)).map((comment) => String(comment.fields['body']));
  };

  /** The session steps still to do, with why (shown when the flow does not finish). */
  const unfinishedSteps = () =>
    probe.query(`SELECT key, status, attempts, run_at, last_error FROM crm_sync.job WHERE queue = 'crm-sync.session-step' AND status <> 'succeeded' AND key NOT LIKE '%/forget'`);

  /**
   * Kills crm-sync once the `nth` matching request reached the CRM whole (which still acts on it, the answer lost), starts
   * it again and lets the dead process's leases run out. Answers the steps it was running.
   */
  async function killOnCrmRequest(nth: number, method: string, path: RegExp): Promise<string[]> {
    const deadPid = await killOnRequest(crm, processOf(stack, 'crm-sync'), nth, (request) => request.method === method && path.test(new URL(request.url ?? '/', crm.url).pathname), 'received');
    await stack.start('crm-sync');
    return probe.expireLeasesOf('crm_sync', deadPid);
  }

  it('survives a kill during account/record creation and one during comments and updates, and the CRM holds each thing once', async () => {
    // Mid-creation: the fourth record's create reaches the CRM, which makes the record; crm-sync never hears of it.
    const firstKill = killOnCrmRequest(SESSIONS / 3, 'POST', /^\/api\/records$/);
    await publisher.publish(Topics.contactSession, TENANT, sessions.map(sessionStarted));
    const heldFirst = await firstKill;
    console.info(`[crm-sync kill 1] records once restarted ${crm.store.records.size}/${SESSIONS}; steps the dead process held: ${heldFirst.join(', ') || 'none'}`);
    await eventually(async () => (sessions.every((session) => recordsOf(session).length > 0) ? true : undefined), 'a record for every session', FLOW_TIMEOUT_MS);

    // Mid-comments: the 24th comment call after the updates and ends are published reaches the CRM (which posts it).
    const secondKill = killOnCrmRequest(Math.round(SESSIONS * COMMENTS_PER_SESSION * 0.4), 'POST', /\/comments$/);
    await publisher.publish(Topics.contactSession, TENANT, sessions.flatMap((session) => [sessionUpdated(session), sessionEnded(session)]));
    const heldSecond = await secondKill;
    const commentStepsHeld = [...heldFirst, ...heldSecond].filter((key) => key.includes('/comment/')).length;
    console.info(`[crm-sync kill 2] comments once restarted ${crm.store.comments.length}/${SESSIONS * COMMENTS_PER_SESSION}; steps the dead process held: ${heldSecond.join(', ') || 'none'}`);

    await eventually(
      async () => (sessions.every((session) => new Set(commentsOf(session)).size === COMMENTS_PER_SESSION && recordsOf(session)[0]?.['description']) ? true : undefined),
      'every comment and the update of every session',
      FLOW_TIMEOUT_MS,
    ).catch(async (error: Error) => {
      const recordCalls = await probe.query(`SELECT session_id, attempt, endpoint, outcome, http_status, started_at FROM crm_sync.crm_call WHERE step = 'record' ORDER BY session_id, id`);
      throw new Error(`${error.message}; record calls: ${JSON.stringify(recordCalls)}; steps not done: ${JSON.stringify(await unfinishedSteps())}; per session: ${JSON.stringify(sessions.map((s) => [s.id, accountsOf(s).length, recordsOf(s).length, commentsOf(s).length, Boolean(recordsOf(s)[0]?.['description'])]))}`);
    });

    let doubledComments = 0;
    for (const session of sessions) {
      expect(accountsOf(session), `accounts of ${session.id}`).toHaveLength(1);
      expect(recordsOf(session), `records of ${session.id}`).toHaveLength(1);
      const comments = commentsOf(session);
      expect(comments, `comments of ${session.id}`).toHaveLength(COMMENTS_PER_SESSION);
      expect(new Set(comments).size, `distinct comments of ${session.id}`).toBe(COMMENTS_PER_SESSION);
      expect(comments).toContain(`CSAT rating: 4/5\nFeedback: Quick and friendly`);
      expect(comments.some((comment) => comment.startsWith(`Call ${session.id} ended (completed`))).toBe(true);
      doubledComments += comments.length - new Set(comments).size;
      expect(String(recordsOf(session)[0]?.['description'])).toContain('Outcome: completed');
    }
    console.info(
      `[crm-sync] comments posted twice: ${doubledComments} (comment steps the killed processes were running: ${commentStepsHeld}); repeated calls answered from the CRM's Idempotency-Key store: ${crm.idempotencyKeys.replays}; record creates: ${crm.requests.filter((r) => r.method === 'POST' && r.path === '/api/records').length} for ${SESSIONS} sessions`,
    );
    expect(doubledComments).toBe(0);
  }, 180_000);
});
