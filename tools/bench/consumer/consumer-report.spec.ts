import { describe, expect, it } from 'vitest';
import { eventsPerSecond, judge, ratioOf, spread } from './consumer-report';
import { addCpu, cpuPerThousand, cpuSpent, perThousandEvents } from './process-cpu';

describe('consumer benchmark arithmetic', () => {
  it('rates events per second from the elapsed time', () => {
    expect(eventsPerSecond(50_000, 10_000)).toBe(5_000);
    expect(eventsPerSecond(10, 0)).toBe(10_000);
  });

  it('judges both goals: ≥ 5,000 events/s and ≥ 0.5 of the bare pair', () => {
    expect(ratioOf(4_999, 9_000)).toBe(0.555);
    expect(judge(5_000, ratioOf(5_000, 10_000))).toMatchObject({ goalsMet: { eventsPerSecond: true, ratio: true } });
    expect(judge(4_999, 0.555)).toMatchObject({ goalsMet: { eventsPerSecond: false, ratio: true } });
    expect(judge(6_000, ratioOf(6_000, 20_000))).toMatchObject({ goalsMet: { eventsPerSecond: true, ratio: false } });
  });

  it('summarises per-round figures as median, min and max (the median of an even count is the mean of the middle two)', () => {
    expect(spread([0.7, 0.4, 0.6])).toEqual({ median: 0.6, min: 0.4, max: 0.7 });
    expect(spread([0.4, 0.8, 0.5, 0.6])).toEqual({ median: 0.55, min: 0.4, max: 0.8 });
    expect(spread([])).toEqual({ median: 0, min: 0, max: 0 });
  });

  it('counts CPU per 1,000 events per process, and Postgres backends that appeared during the run whole', () => {
    const before = { processes: { relay: 100, consumer: undefined }, postgres: new Map([[1, 50]]) };
    const after = { processes: { relay: 300, consumer: 10 }, postgres: new Map([[1, 150], [2, 40]]) };
    expect(cpuPerThousand(before, after, 2_000)).toEqual({ relay: 100, consumer: undefined, postgres: 70 });
  });

  it('adds up the CPU of the rounds of one side; a process unreadable in any round stays unknown', () => {
    const round = (relay: number, consumer: number | undefined) =>
      cpuSpent({ processes: { relay: 0, consumer: 0 }, postgres: new Map() }, { processes: { relay, consumer }, postgres: new Map([[7, 10]]) });
    const total = addCpu(addCpu(undefined, round(100, 5)), round(300, undefined));
    expect(total).toEqual({ relay: 400, consumer: undefined, postgres: 20 });
    expect(perThousandEvents(total, 4_000)).toEqual({ relay: 100, consumer: undefined, postgres: 5 });
  });
});
