import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PollingLoop } from './polling-loop';

/** A round the test controls: each call is recorded, then answers (or fails) as scripted. */
function scriptedRound(answers: (boolean | Error)[] = []) {
  const calls: number[] = [];
  const round = vi.fn(async () => {
    calls.push(Date.now());
    const answer = answers.shift() ?? false;
    if (answer instanceof Error) throw answer;
    return answer;
  });
  return { round, calls };
}

const quiet = { warn: vi.fn() };

describe('PollingLoop', () => {
  let loop: PollingLoop | undefined;

  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
    quiet.warn.mockClear();
  });

  afterEach(async () => {
    const stopping = loop?.stop();
    await vi.runAllTimersAsync();
    await stopping;
    loop = undefined;
    vi.useRealTimers();
  });

  it('runs a round at start, then one per idle interval', async () => {
    const { round, calls } = scriptedRound();
    loop = new PollingLoop({ name: 'test', round, idleMs: 1_000, logger: quiet });
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([0]);
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([0, 1_000]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toEqual([0, 1_000, 2_000, 3_000]);
  });

  it('starts the next round at once while a round answers that more work waits', async () => {
    const { round, calls } = scriptedRound([true, true, false]);
    loop = new PollingLoop({ name: 'test', round, idleMs: 1_000, logger: quiet });
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([0, 0, 0]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toEqual([0, 0, 0, 1_000]);
  });

  it('waits the gathering pause a round asks for, which wake-ups do not shorten, then idles as usual', async () => {
    const calls: number[] = [];
    const outcomes = [{ gatherMs: 20 }, { gatherMs: 20 }, false];
    const round = vi.fn(async () => {
      calls.push(Date.now());
      return outcomes.shift() ?? false;
    });
    loop = new PollingLoop({ name: 'test', round, idleMs: 1_000, logger: quiet });
    loop.start();
    await vi.advanceTimersByTimeAsync(10);
    loop.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1_030);
    expect(calls).toEqual([0, 20, 40, 1_040]);
  });

  it('wake() ends an idle wait at once', async () => {
    const { round, calls } = scriptedRound();
    loop = new PollingLoop({ name: 'test', round, idleMs: 60_000, logger: quiet });
    loop.start();
    await vi.advanceTimersByTimeAsync(500);
    loop.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([0, 500]);
  });

  it('a wake-up during a round is not lost: the next round follows without the idle wait', async () => {
    let release!: () => void;
    const calls: number[] = [];
    const round = vi.fn(async () => {
      calls.push(Date.now());
      if (calls.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return false;
    });
    loop = new PollingLoop({ name: 'test', round, idleMs: 60_000, logger: quiet });
    loop.start();
    await vi.advanceTimersByTimeAsync(100);
    loop.wake();
    await vi.advanceTimersByTimeAsync(100);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([0, 200]);
  });

  it('backs off after failed rounds (doubling up to the cap, not shortened by wake-ups), logs each, and resets after a success', async () => {
    const failure = new Error('database unavailable');
    const { round, calls } = scriptedRound([failure, failure, failure, failure, false]);
    loop = new PollingLoop({ name: 'sender', round, idleMs: 100, backoff: { initialMs: 1_000, maxMs: 3_000 }, logger: quiet });
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    loop.wake();
    await vi.advanceTimersByTimeAsync(10_000);
    // Fails at 0, 1 000, 3 000 (waited 2 000), 6 000 (capped at 3 000); succeeds at 9 000, then idles 100 ms.
    expect(calls.slice(0, 6)).toEqual([0, 1_000, 3_000, 6_000, 9_000, 9_100]);
    expect(quiet.warn).toHaveBeenCalledTimes(4);
    expect(quiet.warn).toHaveBeenLastCalledWith(expect.objectContaining({ msg: 'sender: round failed; retrying in 3000 ms', failuresInARow: 4, error: 'database unavailable' }));
  });

  it.each([
    ['an idle wait', undefined, [0]],
    ['giving way', () => new Promise<void>(() => undefined), []],
  ])('stop() during %s resolves at once and runs no more rounds', async (_, giveWay, expectedCalls) => {
    const { round, calls } = scriptedRound();
    loop = new PollingLoop({ name: 'test', round, idleMs: 60_000, giveWay, logger: quiet });
    loop.start();
    await vi.advanceTimersByTimeAsync(10);
    let stopped = false;
    void loop.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(true);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(calls).toEqual(expectedCalls);
    expect(loop.isRunning).toBe(false);
  });

  it('stop() during a round waits for that round, then starts no other', async () => {
    let release!: () => void;
    let finished = false;
    const round = vi.fn(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      finished = true;
      return true;
    });
    loop = new PollingLoop({ name: 'test', round, idleMs: 60_000, logger: quiet });
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(finished).toBe(true);
    expect(round).toHaveBeenCalledTimes(1);
  });

  it('giveWay is awaited before every round, even one that follows a full batch, and wake-ups do not shorten it', async () => {
    const { round, calls } = scriptedRound([true, false]);
    let giveWayEnds = 0;
    const giveWay = vi.fn(() => new Promise<void>((resolve) => setTimeout(() => resolve(void (giveWayEnds += 1)), 500)));
    loop = new PollingLoop({ name: 'test', round, idleMs: 10_000, giveWay, logger: quiet });
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    loop.wake();
    await vi.advanceTimersByTimeAsync(499);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    // The first round took a full batch: the next one still gives way first (500 ms), then runs.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toEqual([500, 1_000]);
    expect(giveWayEnds).toBe(2);
  });

  it('a giveWay that fails lets the round go ahead', async () => {
    const { round, calls } = scriptedRound();
    loop = new PollingLoop({ name: 'test', round, idleMs: 60_000, giveWay: () => Promise.reject(new Error('no lifecycle')), logger: quiet });
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([0]);
  });

  it('can be started again after a stop, and a second start() while running adds no second loop', async () => {
    const { round, calls } = scriptedRound();
    loop = new PollingLoop({ name: 'test', round, idleMs: 1_000, logger: quiet });
    loop.start();
    loop.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toEqual([0, 1_000]);
    await loop.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([0, 1_000, 6_000]);
  });
});
