import { Role } from '@switchboard/auth';
import { CrmSimulator } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FlowTestKit, SIMULATOR_AUTH, sessionEvents } from '../session-flows/test-support/flow-test-kit';

const SIMULATOR_HOST = '127.0.0.2';
const WEEK = 7 * 24 * 60 * 60_000;

describe('durable CRM call retries (CS2.8) and the session call log', () => {
  let kit: FlowTestKit;
  let sim: CrmSimulator;

  beforeAll(async () => {
    sim = await CrmSimulator.start({ host: SIMULATOR_HOST, auth: SIMULATOR_AUTH });
    kit = await FlowTestKit.start({ OUTBOUND_HTTP_ALLOW: `${SIMULATOR_HOST}/32` });
  }, 90_000);
  afterAll(async () => {
    await kit?.close();
    await sim?.close();
  });
  beforeEach(() => sim.clearFaults());

  const startSession = async (tenantId: string, name: string) => {
    const sessionId = `call-${randomUUID().slice(0, 8)}`;
    await kit.publish(tenantId, [sessionEvents.started(sessionId, { endUser: { phoneNumber: `+1212555${String(Math.floor(Math.random() * 9000) + 1000)}`, name } })]);
    await kit.runStepsOnceScheduled(tenantId, sessionId, 'account');
    return sessionId;
  };
  const accountsPosted = () => sim.requests.filter((request) => request.method === 'POST' && request.path === '/api/accounts').length;

  it('CS2.8 source policy (the default): a 400 is retried ever less often, by the injected clock, and given up one week after the step was scheduled', async () => {
    const tenantId = await kit.tenantWith(sim);
    sim.fail({ method: 'POST', pathPrefix: '/api/accounts', status: 400, times: Infinity });
    const postedBefore = accountsPosted();
    const scheduledAt = kit.clock.now().getTime();
    const sessionId = await startSession(tenantId, 'Always Refused');

    const delays: number[] = [];
    for (;;) {
      const job = await kit.step(tenantId, sessionId, 'account');
      if (job?.status !== 'pending') break;
      delays.push(job.runAt.getTime() - kit.clock.now().getTime());
      kit.clock.set(job.runAt);
      await kit.jobs.runDueJobs();
    }
    const job = await kit.step(tenantId, sessionId, 'account');
    expect(job).toMatchObject({ status: 'failed', lastError: expect.stringContaining('given up after retrying for 7 day(s)') });
    expect(delays.slice(0, 4)).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(delays.every((delay, index) => index === 0 || delay >= (delays[index - 1] ?? 0))).toBe(true);
    expect(Math.max(...delays)).toBe(24 * 60 * 60_000);
    expect(kit.clock.now().getTime() - scheduledAt).toBeLessThanOrEqual(WEEK);
    expect(kit.clock.now().getTime() - scheduledAt).toBeGreaterThan(WEEK - 24 * 60 * 60_000);
    expect(accountsPosted() - postedBefore).toBe(job?.attempts);
    expect(await kit.step(tenantId, sessionId, 'record')).toBeUndefined();
  });

  it('CS2.8 a 500 is not retried under the source policy; under the standard policy a 429 is retried after its Retry-After and a 400 is not', async () => {
    const sourceTenant = await kit.tenantWith(sim);
    sim.fail({ method: 'POST', pathPrefix: '/api/accounts', status: 500 });
    const failedAtOnce = await startSession(sourceTenant, 'Server Error');
    expect(await kit.step(sourceTenant, failedAtOnce, 'account')).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringContaining('not retried under the source policy') });

    const standardTenant = await kit.tenantWith(sim, { retryPolicy: 'standard' });
    sim.fail({ method: 'POST', pathPrefix: '/api/accounts', status: 429, retryAfterSeconds: 120 });
    const throttled = await startSession(standardTenant, 'Throttled Caller');
    const pending = await kit.step(standardTenant, throttled, 'account');
    expect(pending).toMatchObject({ status: 'pending', attempts: 1 });
    expect((pending?.runAt.getTime() ?? 0) - kit.clock.now().getTime()).toBe(120_000);

    kit.clock.advance(119_000);
    expect(await kit.jobs.runDueJobs()).toBe(0);
    kit.clock.advance(1_000);
    await kit.jobs.runDueJobs();
    expect(await kit.step(standardTenant, throttled, 'account')).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(await kit.step(standardTenant, throttled, 'record')).toMatchObject({ status: 'succeeded' });

    sim.fail({ method: 'POST', pathPrefix: '/api/accounts', status: 400 });
    const refused = await startSession(standardTenant, 'Bad Request');
    expect(await kit.step(standardTenant, refused, 'account')).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringContaining('not retried under the standard policy') });
  });

  it("the call log shows each step (status, tries, last error) and each call (method, URL without the customer's details, status, timing); other tenants see nothing", async () => {
    const tenantId = await kit.tenantWith(sim, { retryPolicy: 'standard' });
    sim.fail({ method: 'GET', pathPrefix: '/api/accounts', status: 503 });
    const sessionId = await startSession(tenantId, 'Logged Caller');
    kit.clock.advance(5_000);
    await kit.jobs.runDueJobs();

    const response = await kit.app.call(`/crm/sessions/${encodeURIComponent(sessionId)}/calls`, { method: 'GET', tenantId, roles: [Role.OmnichannelSupervisor] });
    expect(response.status).toBe(200);
    const log = (await response.json()) as { steps: Array<Record<string, unknown>>; calls: Array<Record<string, unknown>> };
    expect(log.steps.map((step) => [step['step'], step['status'], step['attempts']])).toEqual([
      ['account', 'succeeded', 2],
      ['record', 'succeeded', 1],
      ['comment/session_start', 'succeeded', 1],
    ]);
    expect(log.calls.map((call) => [call['step'], call['attempt'], call['endpoint'], call['method'], call['outcome'], call['status']])).toEqual([
      ['account', 1, 'findAccountByQuery', 'GET', 'failed', 503],
      ['account', 2, 'findAccountByQuery', 'GET', 'not_found', 200],
      ['account', 2, 'createAccount', 'POST', 'ok', 201],
      ['record', 1, 'createRecord', 'POST', 'ok', 201],
      ['comment', 1, 'comment', 'POST', 'ok', 201],
    ]);
    expect(log.calls[0]).toMatchObject({ url: `${sim.url}/api/accounts?criteria=<redacted>`, error: 'the CRM answered 503', durationMs: expect.any(Number) });
    const text = JSON.stringify(log);
    expect(text).not.toMatch(/\+1212555|Logged Caller|crm-password|Basic /);

    expect((await kit.app.call(`/crm/sessions/${sessionId}/calls`, { method: 'GET', tenantId: randomUUID(), roles: [Role.Administrator] })).status).toBe(404);
    expect((await kit.app.call(`/crm/sessions/${sessionId}/calls`, { method: 'GET', tenantId, roles: [Role.OmnichannelAgent] })).status).toBe(403);
  });
});
