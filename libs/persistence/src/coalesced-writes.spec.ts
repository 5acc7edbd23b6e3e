import { describe, expect, it } from 'vitest';
import { CoalescedWrites } from './coalesced-writes';

/** A statement runner whose calls the test finishes by hand. */
function manualRunner(fail: (writes: string[]) => boolean = () => false) {
  const calls: { writes: string[]; finish: () => void }[] = [];
  const run = (writes: string[]) =>
    new Promise<string[]>((resolve, reject) => {
      calls.push({ writes, finish: () => (fail(writes) ? reject(new Error(`failed: ${writes.join(',')}`)) : resolve(writes.map((w) => `stored ${w}`))) });
    });
  return { calls, run };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('CoalescedWrites (group commit of concurrent writes)', () => {
  it('starts a write at once while a slot is free', async () => {
    const { calls, run } = manualRunner();
    const writes = new CoalescedWrites(run, { maxInFlight: 2, maxBatch: 10 });
    const a = writes.write('a');
    const b = writes.write('b');
    expect(calls.map((call) => call.writes)).toEqual([['a'], ['b']]);
    calls.forEach((call) => call.finish());
    await expect(Promise.all([a, b])).resolves.toEqual(['stored a', 'stored b']);
  });

  it('puts the writes that waited for a slot into one statement, at most maxBatch, in order', async () => {
    const { calls, run } = manualRunner();
    const writes = new CoalescedWrites(run, { maxInFlight: 1, maxBatch: 3 });
    const results = ['a', 'b', 'c', 'd', 'e'].map((w) => writes.write(w));
    expect(calls.map((call) => call.writes)).toEqual([['a']]);
    calls[0]?.finish();
    await tick();
    expect(calls.map((call) => call.writes)).toEqual([['a'], ['b', 'c', 'd']]);
    calls[1]?.finish();
    await tick();
    expect(calls.map((call) => call.writes)).toEqual([['a'], ['b', 'c', 'd'], ['e']]);
    calls[2]?.finish();
    await expect(Promise.all(results)).resolves.toEqual(['stored a', 'stored b', 'stored c', 'stored d', 'stored e']);
  });

  it('retries each write of a failed statement alone, so only the bad one fails', async () => {
    const { calls, run } = manualRunner((batch) => batch.includes('bad'));
    const writes = new CoalescedWrites(run, { maxInFlight: 1, maxBatch: 10 });
    const results = ['first', 'good', 'bad', 'also good'].map((w) => writes.write(w));
    calls[0]?.finish();
    await tick();
    calls[1]?.finish(); // good, bad, also good: fails as a whole
    await tick();
    expect(calls.slice(2).map((call) => call.writes)).toEqual([['good'], ['bad'], ['also good']]);
    calls.slice(2).forEach((call) => call.finish());
    const settled = await Promise.allSettled(results);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual(['stored first', 'stored good', 'failed: bad', 'stored also good']);
  });

  it('frees the slot after a failure and runs what waited', async () => {
    const { calls, run } = manualRunner((batch) => batch.includes('bad'));
    const writes = new CoalescedWrites(run, { maxInFlight: 1, maxBatch: 10 });
    const bad = writes.write('bad');
    const next = writes.write('next');
    calls[0]?.finish();
    await expect(bad).rejects.toThrow('failed: bad');
    await tick();
    calls[1]?.finish();
    await expect(next).resolves.toBe('stored next');
  });

  it('refuses a runner that answers a different number of results', async () => {
    const writes = new CoalescedWrites(async () => ['only one'], { maxInFlight: 1, maxBatch: 10 });
    await expect(writes.write('a')).resolves.toBe('only one');
    const miscounted = new CoalescedWrites(async () => [] as string[], { maxInFlight: 1, maxBatch: 10 });
    await expect(miscounted.write('a')).rejects.toThrow('0 results for 1 writes');
  });

  it('runs the groups the writes are split into one after the other, a failed one retried alone without touching the others', async () => {
    const { calls, run } = manualRunner((batch) => batch.includes('bad'));
    // Writes of one letter may not share a statement.
    const byLetter = (writes: string[]) => {
      const groups: string[][] = [];
      for (const w of writes) (groups.find((g) => !g.some((other) => other[0] === w[0])) ?? (groups[groups.length] = [])).push(w);
      return groups;
    };
    const writes = new CoalescedWrites(run, { maxInFlight: 1, maxBatch: 10, groups: byLetter });
    const results = ['first', 'a1', 'b1', 'a2', 'bad'].map((w) => writes.write(w));
    calls[0]?.finish();
    await tick();
    expect(calls.map((call) => call.writes)).toEqual([['first'], ['a1', 'b1']]);
    calls[1]?.finish();
    await tick();
    expect(calls.map((call) => call.writes).slice(2)).toEqual([['a2', 'bad']]);
    calls[2]?.finish();
    await tick();
    expect(calls.map((call) => call.writes).slice(3)).toEqual([['a2'], ['bad']]);
    calls.slice(3).forEach((call) => call.finish());
    const settled = await Promise.allSettled(results);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual(['stored first', 'stored a1', 'stored b1', 'stored a2', 'failed: bad']);
  });
});
