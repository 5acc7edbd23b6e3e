import { Clock, ManualClock } from '@switchboard/clock';
import { JobsService } from '@switchboard/jobs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MessageSender } from '../sending/message-sender.service';
import { contact, createConfiguration, send, SUPERVISOR, TENANT_A, TENANT_B } from '../test-support/fixtures';
import { type MessagingTestApp, startMessagingTestApp } from '../test-support/test-app';
import { ScheduledSendHandler } from './scheduled-send.handler';
import { scheduledSendKey, scheduledSendQueue } from './scheduled-send.queue';
import type { ScheduleRunView, ScheduleView } from './schedules.schema';

type Error = { error: { code: string; message: string; details?: { field: string; message: string }[] } };
const START = '2026-03-28T12:00:00.000Z';
const HOUR = 3_600_000;

describe('scheduled sends (OM4.3): at a time, after a duration, on a cron recurrence; durable jobs driven by the injected clock', () => {
  let app: MessagingTestApp;
  let replica: MessagingTestApp;
  let configurationId: string;
  const clock = new ManualClock(START);

  const schedule = (body: Record<string, unknown>, tenantId = TENANT_A) =>
    send<ScheduleView & Error>(app, 'POST', '/outbound/schedules', { name: `schedule ${Math.random().toString(36).slice(2, 8)}`, configurationId, ContactList: [contact({ CaseName: 'CAS-SCHEDULED' })], ...body }, { tenantId, roles: SUPERVISOR });
  const runs = async (id: string) => (await send<{ items: ScheduleRunView[] }>(app, 'GET', `/outbound/schedules/${id}/runs`)).body.items;
  const get = async (id: string) => (await send<ScheduleView>(app, 'GET', `/outbound/schedules/${id}`)).body;
  const messagesOf = (requestIds: string[]) => app.prisma.outboundMessage.findMany({ where: { requestId: { in: requestIds } } });
  const runDue = () => app.app.get(JobsService).runDueJobs();

  beforeAll(async () => {
    app = await startMessagingTestApp({ SEND_POLL_MS: '60000', JOBS_POLL_INTERVAL_MS: '0' });
    replica = await startMessagingTestApp({ SEND_POLL_MS: '60000', JOBS_POLL_INTERVAL_MS: '0' }, { replicaOf: app });
    for (const running of [app, replica]) {
      await running.app.get(MessageSender).stop();
      // The app's Clock reads the manual one: "an hour later" is a step of the test, not a wait.
      vi.spyOn(running.app.get(Clock), 'now').mockImplementation(() => clock.now());
    }
    configurationId = (await createConfiguration(app)).configurationId;
  }, 90_000);
  afterAll(async () => {
    await replica?.close();
    await app?.close();
  });
  beforeEach(() => clock.set(START));

  it('OM4.3 a send at a given time: nothing before it; at it, the contacts\' messages are queued once (held to the customer\'s 08:00, quiet hours) and the schedule completes', async () => {
    const at = new Date(Date.parse(START) + HOUR).toISOString();
    const created = await schedule({ at, ContactList: [contact({ CaseName: 'CAS-AT' }), contact({ tocontactid: '+442071838750', option: false, CaseName: 'CAS-AT' })] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ kind: 'once', status: 'active', nextRunAt: at, lastRunAt: null });

    clock.advance(HOUR - 1_000);
    await runDue();
    expect(await runs(created.body.id)).toEqual([]);

    clock.advance(1_000);
    await runDue();
    const [run] = await runs(created.body.id);
    expect(run).toMatchObject({ occurrence: at, firedAt: at, accepted: 1, skipped: 1, rejected: 0 });
    const messages = await messagesOf([run!.requestId]);
    expect(messages.map((m) => [m.status, m.caseName, m.body]).sort()).toEqual([
      ['queued', 'CAS-AT', 'Hi Dana Levi, your case CAS-AT was created.'],
      ['skipped', 'CAS-AT', null],
    ].sort());
    expect(await app.outbox({ key: messages.find((m) => m.status === 'queued')!.id })).toHaveLength(1);
    // Quiet hours: 13:00Z is 06:00 in San Francisco (+1 415), so the message is held until 08:00 there, 15:00Z.
    expect(messages.find((m) => m.status === 'queued')?.dueAt?.toISOString()).toBe('2026-03-28T15:00:00.000Z');
    expect(await get(created.body.id)).toMatchObject({ status: 'completed', nextRunAt: null, lastRunAt: at });

    clock.advance(24 * HOUR);
    await runDue();
    expect(await runs(created.body.id)).toHaveLength(1);
  }, 60_000);

  it('OM4.3 a send after a given duration is due that long after it was scheduled', async () => {
    const created = await schedule({ afterSeconds: 900 });
    expect(created.status).toBe(201);
    expect(created.body.nextRunAt).toBe(new Date(Date.parse(START) + 900_000).toISOString());
    expect(await app.app.get(JobsService).find(scheduledSendQueue, scheduledSendKey(created.body.id, new Date(created.body.nextRunAt!)))).toMatchObject({ status: 'pending', tenantId: TENANT_A });
    clock.advance(900_000);
    await runDue();
    expect(await runs(created.body.id)).toHaveLength(1);
  }, 60_000);

  it('OM4.3 a cron recurrence in the schedule\'s time zone (across a daylight-saving change) fires each occurrence once and schedules the next', async () => {
    // 09:00 in Paris: 08:00Z on Saturday 28 March 2026 (CET), 07:00Z from Sunday 29 March (CEST).
    const created = await schedule({ cron: '0 9 * * *', timeZone: 'Europe/Paris' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ kind: 'cron', cron: '0 9 * * *', timeZone: 'Europe/Paris', nextRunAt: '2026-03-29T07:00:00.000Z' });

    clock.set('2026-03-29T07:00:00.000Z');
    await runDue();
    expect(await get(created.body.id)).toMatchObject({ status: 'active', nextRunAt: '2026-03-30T07:00:00.000Z', lastRunAt: '2026-03-29T07:00:00.000Z' });
    clock.set('2026-03-30T07:00:30.000Z');
    await runDue();
    await runDue();
    const fired = await runs(created.body.id);
    expect(fired.map((run) => run.occurrence)).toEqual(['2026-03-30T07:00:00.000Z', '2026-03-29T07:00:00.000Z']);
    expect(await messagesOf(fired.map((run) => run.requestId))).toHaveLength(2);

    // The service was down for three days: the overdue occurrence fires once, late, and the next is after now.
    clock.set('2026-04-02T12:00:00.000Z');
    await runDue();
    expect(await runs(created.body.id)).toHaveLength(3);
    expect((await get(created.body.id)).nextRunAt).toBe('2026-04-03T07:00:00.000Z');
  }, 60_000);

  it('OM4.3 two replicas running due jobs at once fire an occurrence once, and a second try of the same job sends nothing more', async () => {
    const created = await schedule({ afterSeconds: 60, ContactList: [contact({ CaseName: 'CAS-REPLICAS' })] });
    clock.advance(60_000);
    await Promise.all([runDue(), replica.app.get(JobsService).runDueJobs(), runDue()]);
    expect(await runs(created.body.id)).toHaveLength(1);
    expect(await app.prisma.outboundMessage.count({ where: { caseName: 'CAS-REPLICAS' } })).toBe(1);

    // The job's handler run again (a replica that lost its lease after the commit): the schedule has moved on.
    const handler = app.app.get(ScheduledSendHandler);
    await handler.run({ queue: scheduledSendQueue.name, key: 'again', tenantId: TENANT_A, payload: { scheduleId: created.body.id, occurrence: new Date(Date.parse(START) + 60_000).toISOString() }, attempts: 2, runAt: clock.now(), createdAt: clock.now(), lastError: null });
    expect(await app.prisma.outboundMessage.count({ where: { caseName: 'CAS-REPLICAS' } })).toBe(1);
  }, 60_000);

  it('OM4.3 a cancelled schedule fires no more; cancelling again is 409; another tenant\'s schedule is not found', async () => {
    const created = await schedule({ cron: '*/5 * * * *', ContactList: [contact({ CaseName: 'CAS-CANCEL' })] });
    expect((await send(app, 'DELETE', `/outbound/schedules/${created.body.id}`, undefined, { tenantId: TENANT_B })).status).toBe(404);
    expect((await send(app, 'GET', `/outbound/schedules/${created.body.id}`, undefined, { tenantId: TENANT_B })).status).toBe(404);
    const cancelled = await send<ScheduleView>(app, 'DELETE', `/outbound/schedules/${created.body.id}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', nextRunAt: null });
    clock.advance(HOUR);
    await runDue();
    expect(await runs(created.body.id)).toEqual([]);
    expect(await app.prisma.outboundMessage.count({ where: { caseName: 'CAS-CANCEL' } })).toBe(0);
    expect((await send<Error>(app, 'DELETE', `/outbound/schedules/${created.body.id}`)).body.error.code).toBe('ScheduleNotActive');
  }, 60_000);

  it('OM4.3 bad schedules get a specific 4xx and store nothing', async () => {
    const otherTenants = (await createConfiguration(app, { tenantId: TENANT_B })).configurationId;
    const before = await app.prisma.sendSchedule.count();
    const refusals: [Record<string, unknown>, number, string][] = [
      [{}, 400, 'BadRequest'],
      [{ at: '2026-03-29T00:00:00Z', cron: '0 9 * * *' }, 400, 'BadRequest'],
      [{ at: '2026-03-27T00:00:00Z' }, 400, 'ScheduleInThePast'],
      [{ at: 'tomorrow' }, 400, 'BadRequest'],
      [{ afterSeconds: 0 }, 400, 'BadRequest'],
      [{ afterSeconds: 1.5 }, 400, 'BadRequest'],
      [{ cron: '61 * * * *' }, 400, 'InvalidCron'],
      [{ cron: '* * * * * *' }, 400, 'InvalidCron'],
      [{ cron: '0 0 30 2 *' }, 400, 'InvalidCron'],
      [{ cron: '0 9 * * *', timeZone: 'Mars/Olympus' }, 400, 'BadRequest'],
      [{ afterSeconds: 60, ContactList: Array.from({ length: 101 }, () => contact()) }, 400, 'BadRequest'],
      [{ afterSeconds: 60, ContactList: [contact(), contact({ channelid: 'whatsapp' })] }, 400, 'ContactsRejected'],
      [{ afterSeconds: 60, ContactList: [contact({ locale: 'fr' })] }, 400, 'ContactsRejected'],
      [{ afterSeconds: 60, configurationId: otherTenants }, 422, 'ScheduleConfigurationInvalid'],
      [{ afterSeconds: 60, unknown: true }, 400, 'BadRequest'],
    ];
    for (const [body, status, code] of refusals) {
      const answer = await schedule(body);
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.body.error.code, JSON.stringify(answer.body)).toBe(code);
    }
    expect(await app.prisma.sendSchedule.count()).toBe(before);
    const named = await schedule({ afterSeconds: 60, name: 'same name' });
    expect(named.status).toBe(201);
    expect((await schedule({ afterSeconds: 60, name: 'same name' })).status).toBe(409);
  }, 60_000);
});
