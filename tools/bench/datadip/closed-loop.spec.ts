import { describe, expect, it } from 'vitest';
import { runInterleavedLoops } from './closed-loop';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describe('interleaved closed loops (bench:datadip, bench:engine)', () => {
  it('measures every target once per round, in order, splitting the duration over the rounds', async () => {
    const order: string[] = [];
    const result = await runInterleavedLoops([tick, tick], {
      connections: 2,
      warmupSeconds: 0,
      durationSeconds: 0.3,
      rounds: 3,
      onRound: (target, round, phase) => order.push(`${phase} ${round}/${target}`),
    });
    expect(order).toEqual(['start 0/0', 'end 0/0', 'start 0/1', 'end 0/1', 'start 1/0', 'end 1/0', 'start 1/1', 'end 1/1', 'start 2/0', 'end 2/0', 'start 2/1', 'end 2/1']);
    expect(result.rates).toHaveLength(3);
    for (const rates of result.rates) expect(rates.every((rate) => rate > 0)).toBe(true);
    for (const target of result.results) expect(target.answers).toBeGreaterThan(0);
  });

  it('counts the failures of measured periods only, and keeps the first ones in words', async () => {
    let calls = 0;
    const failsAfterWarmUp = async () => {
      await tick();
      if (++calls > 1_000_000) return;
      throw new Error(`refused ${calls}`);
    };
    const result = await runInterleavedLoops([failsAfterWarmUp], { connections: 1, warmupSeconds: 0.05, durationSeconds: 0.1, rounds: 2 });
    const [target] = result.results;
    expect(target?.answers).toBe(0);
    expect(target?.failures).toBeGreaterThan(0);
    expect(target?.failures).toBeLessThan(calls);
    expect(target?.failureSamples[0]).toMatch(/^refused \d+$/);
  });
});
