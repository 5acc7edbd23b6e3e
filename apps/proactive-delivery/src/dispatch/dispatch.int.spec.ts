import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Clock } from '@switchboard/clock';
import { ADMIN, createConfiguration, CREATE_PATH, putSettings, SUPERVISOR, TENANT_A } from '../test-support/fixtures';
import { ProactiveTestApp, startProactiveTestApp } from '../test-support/test-app';
import { SimulatorVoiceRuntime } from '../voice-runtime/simulator-voice-runtime';
import { Dispatcher } from './dispatcher.service';

// Tuesday 2099-01-06, 15:00 UTC = 10:00 in New York: inside the callee's 08:00–21:00.
const T0 = new Date('2099-01-06T15:00:00.000Z');
const WINDOW = { Start: '2099-01-06T15:00:00.000Z', End: '2099-01-06T20:00:00.000Z' };
const seconds = (n: number) => new Date(T0.getTime() + n * 1_000);

describe('scheduling and dialing (PD4.1–PD4.4, PD3.1, frequency cap)', () => {
  let app: ProactiveTestApp;
  let replica: ProactiveTestApp;
  let configId: string;
  let now = T0;
  let phoneSeq = 0;

  beforeAll(async () => {
    // Dispatch is driven by the test (runOnce at chosen instants): the loops only wake every minute.
    const env = { DISPATCH_POLL_MS: '60000', VOICE_SIMULATOR_OUTCOME_DELAY_MS: '0', DIAL_LEASE_SECONDS: '5' };
    app = await startProactiveTestApp(env);
    replica = await startProactiveTestApp(env, { replicaOf: app });
    for (const instance of [app, replica]) vi.spyOn(instance.app.get(Clock), 'now').mockImplementation(() => now);
    configId = await createConfiguration(app, TENANT_A, { maxAttempts: 3, retryIntervalsSeconds: { busy: 60, no_answer: 120, voicemail: 300, failed: 60 } });
    await putSettings(app, TENANT_A, { frequencyCap: { maxAttempts: 100, periodHours: 1 }, idempotencyPeriodSeconds: 0, phoneNumberValidation: 'strict' });
  }, 90_000);

  afterAll(async () => {
    await replica?.close();
    await app?.close();
  });

  afterEach(() => {
    now = T0;
  });

  /** A fresh New York number per delivery, ending in `lastDigit` (the simulator's default outcome rule). */
  function phone(lastDigit = 0): string {
    phoneSeq++;
    return `+1212555${String(1000 + (phoneSeq % 900)).slice(-3)}${lastDigit}`;
  }

  async function createDelivery(overrides: Record<string, unknown> = {}): Promise<string> {
    const body = { ApiVersion: '1.0', ProactiveEngagementConfigId: configId, DestinationPhoneNumber: phone(), ContactId: '761e062f-c734-ef11-8e4f-00224808a166', Windows: [WINDOW], ...overrides };
    const response = await app.call(CREATE_PATH, { method: 'POST', tenantId: TENANT_A, roles: SUPERVISOR, body: JSON.stringify(body) });
    expect(response.status, await response.clone().text()).toBe(200);
    return ((await response.json()) as { DeliveryId: string }).DeliveryId;
  }

  const delivery = (id: string) => app.prisma.delivery.findUniqueOrThrow({ where: { id }, include: { attemptsLog: { orderBy: { attemptNumber: 'asc' } } } });
  const eventTypes = async (id: string) =>
    (await app.outbox({ key: id })).map((r) => r.envelope.type.replace('switchboard.proactive.', ''));

  /** One dispatch round at `at`, then waits for the simulator's outcome reports to be applied. */
  async function dispatchAt(at: Date, instance = app): Promise<number> {
    now = at;
    const dialed = await instance.app.get(Dispatcher).runOnce(at);
    await instance.app.get(SimulatorVoiceRuntime).idle();
    return dialed;
  }

  it('PD4.1/PD4.3/PD4.6 dials when the window opens, completes on answer, with the events in order', async () => {
    const id = await createDelivery({ DestinationPhoneNumber: phone(0) });
    now = seconds(-60);
    expect(await dispatchAt(seconds(-60))).toBe(0); // not yet due
    await dispatchAt(T0);
    const done = await delivery(id);
    expect(done).toMatchObject({ status: 'Completed', attempts: 1, lastOutcome: 'answered' });
    expect(done.attemptsLog).toEqual([expect.objectContaining({ attemptNumber: 1, outcome: 'answered', dialRequests: 1 })]);
    expect(await eventTypes(id)).toEqual(['DeliveryRequested', 'DeliveryScheduled', 'DeliveryAttempted', 'DeliveryCompleted']);
    const dial = app.app.get(SimulatorVoiceRuntime).dials().find((d) => d.deliveryId === id);
    expect(dial).toMatchObject({ dialingMode: 'customer_first', workflowId: 'callback-bot', callerIdNumber: '+12125550100', attemptNumber: 1 });
  });

  it('PD4.4 retries after each outcome-specific interval until answered', async () => {
    const id = await createDelivery({ InputAttributes: { simulatorOutcomes: 'busy,no_answer,answered' } });
    await dispatchAt(T0);
    expect(await delivery(id)).toMatchObject({ status: 'Retrying', nextAttemptAt: seconds(60), lastOutcome: 'busy' });
    expect(await dispatchAt(seconds(59))).toBe(0);
    await dispatchAt(seconds(60));
    expect(await delivery(id)).toMatchObject({ status: 'Retrying', nextAttemptAt: seconds(180), lastOutcome: 'no_answer' });
    await dispatchAt(seconds(180));
    expect(await delivery(id)).toMatchObject({ status: 'Completed', attempts: 3 });
    expect(await eventTypes(id)).toEqual(['DeliveryRequested', 'DeliveryScheduled', 'DeliveryAttempted', 'DeliveryAttempted', 'DeliveryAttempted', 'DeliveryCompleted']);
  });

  it('PD4.4 fails after the maximum number of attempts', async () => {
    const id = await createDelivery({ InputAttributes: { simulatorOutcomes: 'busy' } });
    await dispatchAt(T0);
    await dispatchAt(seconds(60));
    await dispatchAt(seconds(120));
    expect(await delivery(id)).toMatchObject({ status: 'Failed', attempts: 3 });
    expect((await eventTypes(id)).at(-1)).toBe('DeliveryFailed');
  });

  it('PD4.4 expires when the last window closes before the next retry', async () => {
    const id = await createDelivery({ InputAttributes: { simulatorOutcomes: 'voicemail' }, Windows: [{ Start: WINDOW.Start, End: '2099-01-06T15:03:00.000Z' }] });
    await dispatchAt(T0);
    expect(await delivery(id)).toMatchObject({ status: 'Expired', attempts: 1 });
    expect((await eventTypes(id)).at(-1)).toBe('DeliveryExpired');
  });

  it('PD3.1 a number added to the do-not-call list after acceptance stops the delivery before its next attempt', async () => {
    const number = phone();
    const id = await createDelivery({ DestinationPhoneNumber: number, InputAttributes: { simulatorOutcomes: 'busy' } });
    await dispatchAt(T0);
    expect((await delivery(id)).status).toBe('Retrying');
    const added = await app.call('/proactive/do-not-call', { method: 'POST', tenantId: TENANT_A, roles: ADMIN, body: JSON.stringify({ phoneNumber: number }) });
    expect(added.status).toBeLessThan(300);
    const dialsBefore = app.app.get(SimulatorVoiceRuntime).dials().length;
    await dispatchAt(seconds(60));
    expect(await delivery(id)).toMatchObject({ status: 'Blocked', attempts: 1 });
    expect(app.app.get(SimulatorVoiceRuntime).dials().length).toBe(dialsBefore);
    expect((await eventTypes(id)).at(-1)).toBe('DeliveryBlocked');
  });

  it('caps attempts per number across all deliveries of the tenant in a rolling period', async () => {
    await putSettings(app, TENANT_A, { frequencyCap: { maxAttempts: 1, periodHours: 1 }, idempotencyPeriodSeconds: 0, phoneNumberValidation: 'strict' });
    try {
      const number = phone();
      const first = await createDelivery({ DestinationPhoneNumber: number });
      const second = await createDelivery({ DestinationPhoneNumber: number, ContactId: '861e062f-c734-ef11-8e4f-00224808a166' });
      await dispatchAt(T0);
      const [a, b] = [await delivery(first), await delivery(second)];
      const dialed = [a, b].filter((d) => d.attempts === 1);
      const held = [a, b].filter((d) => d.attempts === 0);
      expect(dialed).toHaveLength(1);
      expect(held).toHaveLength(1);
      // Held until the first attempt leaves the one-hour period.
      expect(held[0]).toMatchObject({ status: 'Scheduled', nextAttemptAt: seconds(3_600) });
      await dispatchAt(seconds(3_600));
      expect((await delivery(held[0]?.id as string)).status).toBe('Completed');
    } finally {
      await putSettings(app, TENANT_A, { frequencyCap: { maxAttempts: 100, periodHours: 1 }, idempotencyPeriodSeconds: 0, phoneNumberValidation: 'strict' });
    }
  });

  it('PD4.2 two dispatchers running at once claim each due delivery exactly once', async () => {
    const ids = await Promise.all(Array.from({ length: 60 }, () => createDelivery()));
    const simulators = [app, replica].map((i) => i.app.get(SimulatorVoiceRuntime));
    const dialsBefore = simulators.map((s) => s.dials().length);
    now = T0;
    for (let round = 0; round < 10; round++) {
      const [x, y] = await Promise.all([app.app.get(Dispatcher).runOnce(T0), replica.app.get(Dispatcher).runOnce(T0)]);
      if (x + y === 0) break;
    }
    await Promise.all(simulators.map((s) => s.idle()));
    const newDials = simulators.flatMap((s, i) => s.dials().slice(dialsBefore[i]));
    const dialedIds = newDials.map((d) => d.deliveryId).filter((id) => ids.includes(id));
    expect(dialedIds).toHaveLength(60);
    expect(new Set(dialedIds).size).toBe(60);
    expect(simulators.every((s, i) => s.dials().length > (dialsBefore[i] ?? 0))).toBe(true); // both took a share
    const rows = await app.prisma.delivery.findMany({ where: { id: { in: ids } } });
    expect(rows.every((r) => r.status === 'Completed' && r.attempts === 1)).toBe(true);
  });

  it('PD4.2 a dispatcher that dies mid-dispatch loses nothing and dials nothing twice', async () => {
    const claimedButNeverDialed = await createDelivery();
    const dialedButNotRecorded = await createDelivery();
    // Dispatcher A claims both, hands one dial to the runtime, then dies before anything else.
    const jobs = await app.prisma.$transaction((tx) => (app.app.get(Dispatcher) as unknown as { claimDue(tx: unknown, at: Date): Promise<{ request: { deliveryId: string } }[]> }).claimDue(tx, T0));
    const simulator = replica.app.get(SimulatorVoiceRuntime);
    const handed = jobs.find((j) => j.request.deliveryId === dialedButNotRecorded);
    await simulator.dial(handed?.request as never);
    await simulator.idle();
    expect((await delivery(claimedButNeverDialed)).status).toBe('Dialing');

    // Dispatcher B, after the lease (5 s) expired, re-sends both attempts with their original ids.
    await dispatchAt(seconds(6), replica);
    for (const id of [claimedButNeverDialed, dialedButNotRecorded]) {
      const done = await delivery(id);
      expect(done).toMatchObject({ status: 'Completed', attempts: 1 });
      expect(simulator.dials().filter((d) => d.deliveryId === id)).toHaveLength(1);
    }
    expect((await delivery(claimedButNeverDialed)).attemptsLog[0]?.dialRequests).toBe(2);
  });
});
