import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { aDialRequest } from './dial-request.fixture';
import { SimulatorVoiceRuntime } from './simulator-voice-runtime';
import { DialOutcomeReport, DialRejectedError, DialRequest } from './voice-runtime';

const dialRequest = (overrides: Partial<DialRequest> = {}) => aDialRequest({ phoneNumber: '+14155550106', ...overrides });

class RecordingSink {
  readonly reports: DialOutcomeReport[] = [];
  failuresLeft = 0;
  readonly report = vi.fn(async (report: DialOutcomeReport) => {
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new Error('outcome store unavailable');
    }
    this.reports.push(report);
  });
}

describe('SimulatorVoiceRuntime (PD4.3)', () => {
  let sink: RecordingSink;
  let simulator: SimulatorVoiceRuntime;
  const start = (options: Partial<ConstructorParameters<typeof SimulatorVoiceRuntime>[1]> = {}) => {
    simulator = new SimulatorVoiceRuntime(sink, { outcomeDelayMs: 0, ...options });
    return simulator;
  };

  beforeEach(() => {
    sink = new RecordingSink();
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    simulator?.onModuleDestroy();
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('PD4.3 is named "simulator" and reports the number-rule outcome with its providerCallId', async () => {
    start();
    const request = dialRequest({ phoneNumber: '+14155550108' });
    const accepted = await simulator.dial(request);
    await simulator.idle();

    expect(simulator.name).toBe('simulator');
    expect(accepted.providerCallId).toMatch(/^sim-[0-9a-f-]{36}$/);
    expect(sink.reports).toEqual([{ attemptId: request.attemptId, outcome: 'voicemail', providerCallId: accepted.providerCallId, occurredAt: expect.any(Date) }]);
    expect(simulator.dials()).toEqual([request]);
  });

  it('PD4.3 is idempotent on attemptId: the same attempt sent twice is one dial and one report', async () => {
    start();
    const request = dialRequest();
    const [first, concurrent] = await Promise.all([simulator.dial(request), simulator.dial({ ...request })]);
    const later = await simulator.dial({ ...request });
    await simulator.idle();

    expect(concurrent).toEqual(first);
    expect(later).toEqual(first);
    expect(simulator.dials()).toHaveLength(1);
    expect(sink.report).toHaveBeenCalledTimes(1);
  });

  it('PD4.3 distinct attempts are distinct dials and follow the simulatorOutcomes script attempt by attempt', async () => {
    start();
    const deliveryId = randomUUID();
    const inputAttributes = { simulatorOutcomes: 'busy,no_answer,answered' };
    const requests = [1, 2, 3, 4].map((attemptNumber) => dialRequest({ deliveryId, attemptNumber, inputAttributes, phoneNumber: '+14155550109' }));
    const accepted = [];
    for (const request of requests) accepted.push(await simulator.dial(request));
    await simulator.idle();

    expect(new Set(accepted.map((a) => a.providerCallId)).size).toBe(4);
    expect(sink.reports.map((r) => [r.attemptId, r.outcome])).toEqual([
      [requests[0]?.attemptId, 'busy'],
      [requests[1]?.attemptId, 'no_answer'],
      [requests[2]?.attemptId, 'answered'],
      [requests[3]?.attemptId, 'answered'],
    ]);
  });

  it('PD4.3 reports only after VOICE_SIMULATOR_OUTCOME_DELAY_MS', async () => {
    vi.useFakeTimers();
    start({ outcomeDelayMs: 1_000 });
    await simulator.dial(dialRequest());

    await vi.advanceTimersByTimeAsync(999);
    expect(sink.report).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(sink.report).toHaveBeenCalledTimes(1);
  });

  it('PD4.3 a report the sink refuses is logged and retried with back-off until it lands', async () => {
    vi.useFakeTimers();
    start({ outcomeDelayMs: 10, reportRetryDelaysMs: [100, 400, 1_600] });
    sink.failuresLeft = 2;
    await simulator.dial(dialRequest());

    await vi.advanceTimersByTimeAsync(10);
    expect(sink.report).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(99);
    expect(sink.report).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sink.report).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(399);
    expect(sink.report).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sink.report).toHaveBeenCalledTimes(3);
    expect(sink.reports).toHaveLength(1);
    expect(Logger.prototype.warn).toHaveBeenCalledTimes(2);
    expect(Logger.prototype.error).not.toHaveBeenCalled();
  });

  it('PD4.3 gives up (logging an error) after the last retry', async () => {
    start({ reportRetryDelaysMs: [1, 1] });
    sink.failuresLeft = 10;
    await simulator.dial(dialRequest());
    await simulator.idle();

    expect(sink.report).toHaveBeenCalledTimes(3);
    expect(sink.reports).toHaveLength(0);
    expect(Logger.prototype.warn).toHaveBeenCalledTimes(2);
    expect(Logger.prototype.error).toHaveBeenCalledTimes(1);
  });

  it('PD4.3 a refused script dials nothing and reports nothing', async () => {
    start();
    await expect(simulator.dial(dialRequest({ inputAttributes: { simulatorOutcomes: 'hung_up' } }))).rejects.toBeInstanceOf(DialRejectedError);
    await simulator.idle();
    expect(simulator.dials()).toEqual([]);
    expect(sink.report).not.toHaveBeenCalled();
  });

  it('PD4.3 its timers do not keep the process alive', async () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    start({ outcomeDelayMs: 60_000 });
    await simulator.dial(dialRequest());

    const timer = setTimeoutSpy.mock.results.at(-1)?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
  });

  it('PD4.3 module destroy clears pending reports and refuses new attempts, but still answers re-sent ones', async () => {
    vi.useFakeTimers();
    start({ outcomeDelayMs: 1_000 });
    const request = dialRequest();
    const accepted = await simulator.dial(request);

    simulator.onModuleDestroy();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(5_000);
    await simulator.idle();

    expect(sink.report).not.toHaveBeenCalled();
    await expect(simulator.dial(request)).resolves.toEqual(accepted);
    await expect(simulator.dial(dialRequest())).rejects.toThrow(/shutting down/);
  });

  it('PD4.3 remembers a bounded number of attempts, forgetting the oldest', async () => {
    start({ maxRememberedAttempts: 2 });
    const [a, b, c] = [dialRequest(), dialRequest(), dialRequest()];
    for (const request of [a, b, c]) await simulator.dial(request as DialRequest);
    expect(simulator.dials().map((d) => d.attemptId)).toEqual([b?.attemptId, c?.attemptId]);
    await simulator.idle();
  });

  it('PD4.3 dials() hands out copies, so a test cannot rewrite the log', async () => {
    start();
    await simulator.dial(dialRequest());
    const [copy] = simulator.dials();
    (copy as DialRequest).inputAttributes['orderNumber'] = 'changed';
    expect(simulator.dials()[0]?.inputAttributes['orderNumber']).toBe('A-1');
    await simulator.idle();
  });
});
