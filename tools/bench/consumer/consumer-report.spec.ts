import { describe, expect, it } from 'vitest';
import { eventsPerSecond, judge } from './consumer-report';
import { cpuPerThousand } from './process-cpu';

describe('consumer benchmark arithmetic', () => {
  it('rates events per second from the elapsed time', () => {
    expect(eventsPerSecond(50_000, 10_000)).toBe(5_000);
    expect(eventsPerSecond(10, 0)).toBe(10_000);
  });

  it('judges both goals: ≥ 5,000 events/s and ≥ 0.5 of the bare pair', () => {
    expect(judge(5_000, 10_000)).toMatchObject({ ratio: 0.5, goalsMet: { eventsPerSecond: true, ratio: true } });
    expect(judge(4_999, 9_000)).toMatchObject({ ratio: 0.555, goalsMet: { eventsPerSecond: false, ratio: true } });
    expect(judge(6_000, 20_000)).toMatchObject({ ratio: 0.3, goalsMet: { eventsPerSecond: true, ratio: false } });
  });

  it('counts CPU per 1,000 events per process, and Postgres backends that appeared during the run whole', () => {
    const before = { processes: { relay: 100, consumer: undefined }, postgres: new Map([[1, 50]]) };
    const after = { processes: { relay: 300, consumer: 10 }, postgres: new Map([[1, 150], [2, 40]]) };
    expect(cpuPerThousand(before, after, 2_000)).toEqual({ relay: 100, consumer: undefined, postgres: 70 });
  });
});
