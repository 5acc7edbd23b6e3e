import { agentEventType, Topics } from '@switchboard/contracts';
import { CrmSimulator, eventually } from '@switchboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowTestKit, SIMULATOR_AUTH, sessionEvents } from '../session-flows/test-support/flow-test-kit';
import { RetentionSweepHandler } from './retention-sweep.handler';
import { retentionSweepQueue, sweepKeyAt } from './retention-sweep.queue';

const HOST = '127.0.0.2';
const DAY = 24 * 60 * 60_000;

describe('session data retention (CRM_SESSION_DATA_RETENTION_DAYS): a durable hourly sweep', () => {
  let kit: FlowTestKit;
  let sim: CrmSimulator;

  beforeAll(async () => {
    sim = await CrmSimulator.start({ host: HOST, auth: SIMULATOR_AUTH });
    kit = await FlowTestKit.start({ OUTBOUND_HTTP_ALLOW: `${HOST}/32`, CRM_SESSION_DATA_RETENTION_DAYS: '2' });
  }, 90_000);
  afterAll(async () => {
    await kit?.close();
    await sim?.close();
  });

  const counts = async (tenantId: string) => ({
    flows: await kit.prisma.crmSessionFlow.count({ where: { tenantId } }),
    calls: await kit.prisma.crmCall.count({ where: { tenantId } }),
    uploads: await kit.prisma.crmFileUpload.count({ where: { tenantId } }),
    emails: await kit.prisma.outcomeEmail.count({ where: { tenantId } }),
    agentEvents: await kit.prisma.agentEventLog.count({ where: { tenantId } }),
  });

  it('retention: a session\'s flow values, call log, handed-over files, outcome e-mail and agent events are kept within the retention and deleted after it; the sweep reschedules itself', async () => {
    // Rows are stamped by the database (now()) and by the injected clock (the call log): both at today's time.
    kit.clock.set(new Date());
    const tenantId = await kit.tenantWith(sim);
    const sessionId = `call-retention-1`;
    await kit.publish(tenantId, [sessionEvents.started(sessionId, { endUser: { phoneNumber: '+12125550160', name: 'Kept A While' } }), sessionEvents.agentAssigned(sessionId)]);
    await kit.runStepsOnceScheduled(tenantId, sessionId, 'account');
    await kit.publish(tenantId, [{ type: agentEventType('End_Call'), data: { adapterEventType: 'End_Call', sessionId, sessionKind: 'call', receivedAt: '2026-03-02T14:05:00.000Z', payload: { call_id: sessionId } } }], Topics.agentEvents);
    await eventually(async () => ((await kit.prisma.agentEventLog.count({ where: { tenantId } })) > 0 ? true : undefined), 'the agent event logged');
    await kit.prisma.crmFileUpload.create({
      data: { tenantId, sessionId, fileName: `call-${sessionId}.mp3`, fileKind: 'recording', contentType: 'audio/mpeg', size: 1, sha256: '0'.repeat(64), downloadUrl: 'http://127.0.0.2/x', storageUrl: 's3://x', eventId: 'e1', status: 'pending' },
    });
    await kit.prisma.outcomeEmail.create({ data: { tenantId, sessionId, metadata: { endUser: { phone: '+12125550160' } }, version: 1, transcripts: [], recipient: 'team@example.com' } });
    const stored = await counts(tenantId);
    expect(stored).toEqual({ flows: 1, calls: expect.any(Number), uploads: 1, emails: 1, agentEvents: 1 });
    expect(stored.calls).toBeGreaterThan(0);

    // One day later (retention 2 days) the sweep keeps them.
    kit.clock.advance(DAY);
    const sweeper = kit.app.app.get(RetentionSweepHandler);
    await sweeper.ensureScheduled();
    await kit.jobs.runDueJobs();
    expect(await kit.jobs.find(retentionSweepQueue, sweepKeyAt(kit.clock.now()))).toMatchObject({ status: 'succeeded' });
    expect(await counts(tenantId)).toEqual(stored);
    const nextHour = new Date(Math.floor(kit.clock.now().getTime() / 3_600_000) * 3_600_000 + 3_600_000);
    expect(await kit.jobs.find(retentionSweepQueue, sweepKeyAt(nextHour))).toMatchObject({ status: 'pending', runAt: nextHour });

    // Two days more: the hour's sweep (scheduled by the last one, surviving a restart) deletes it all.
    await kit.restart();
    kit.clock.advance(2 * DAY);
    await kit.jobs.runDueJobs();
    expect(await kit.jobs.find(retentionSweepQueue, sweepKeyAt(nextHour))).toMatchObject({ status: 'succeeded' });
    expect(await counts(tenantId)).toEqual({ flows: 0, calls: 0, uploads: 0, emails: 0, agentEvents: 0 });
    expect(await kit.jobs.list(retentionSweepQueue, { status: 'pending' })).toHaveLength(1);
  });
});
