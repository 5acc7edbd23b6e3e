import { describe, expect, it } from 'vitest';
import { machineCpuMs, processCpuMs, usageBetween, type CpuSnapshot } from './cpu-usage';

describe('CPU usage per request', () => {
  it('divides each process group’s CPU time by the 2xx count; Postgres counts backends seen at both ends', () => {
    const before: CpuSnapshot = { target: 1_000, loadGenerator: 500, postgres: new Map([[11, 100], [12, 200], [13, 50]]), machine: { busy: 1_000, total: 4_000 } };
    const after: CpuSnapshot = { target: 3_000, loadGenerator: 1_500, postgres: new Map([[11, 600], [12, 700], [14, 999]]), machine: { busy: 2_500, total: 6_000 } };
    expect(usageBetween(before, after, 1_000)).toEqual({
      perRequestMs: { target: 2, postgres: 1, loadGenerator: 1 },
      machineBusyPercent: 75,
    });
  });

  it('leaves out what it could not read, and everything when no request succeeded', () => {
    const empty: CpuSnapshot = { postgres: new Map() };
    expect(usageBetween(empty, empty, 10)).toEqual({ perRequestMs: { target: undefined, postgres: undefined, loadGenerator: undefined } });
    const some: CpuSnapshot = { target: 1, postgres: new Map([[1, 1]]) };
    expect(usageBetween(some, some, 0).perRequestMs).toEqual({ target: undefined, postgres: undefined, loadGenerator: undefined });
  });

  it('reads this process’s and the machine’s CPU time from /proc', () => {
    const spin = Date.now() + 60;
    while (Date.now() < spin); // burn a few ticks so the reading cannot be zero
    expect(processCpuMs(process.pid)).toBeGreaterThan(0);
    expect(processCpuMs(2 ** 30)).toBeUndefined();
    const machine = machineCpuMs();
    expect(machine?.total).toBeGreaterThan(machine?.busy ?? Infinity);
  });
});
