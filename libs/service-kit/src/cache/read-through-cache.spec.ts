import { describe, expect, it } from 'vitest';
import { ReadThroughCache } from './read-through-cache';

/** A read whose answer the test releases, counting how often it was called. */
function controlledRead(values: string[]) {
  let calls = 0;
  const waiting: Array<() => void> = [];
  const read = () => {
    const value = { value: values[calls++] ?? 'unexpected' };
    return new Promise<{ value: string }>((resolve) => waiting.push(() => resolve(value)));
  };
  return { read, calls: () => calls, release: () => waiting.splice(0).forEach((resolve) => resolve()) };
}

describe('ReadThroughCache (hot-path reads of read-mostly rows)', () => {
  it('requests that miss the same key at the same moment share one read', async () => {
    const cache = new ReadThroughCache<{ value: string }>({ ttlMs: 5_000 });
    const source = controlledRead(['first']);
    const answers = Array.from({ length: 50 }, () => cache.get('tenant-a', source.read));
    source.release();
    expect(await Promise.all(answers)).toEqual(Array.from({ length: 50 }, () => ({ value: 'first' })));
    expect(source.calls()).toBe(1);
  });

  it('answers from memory within the TTL and reads again after it', async () => {
    let now = Date.parse('2026-12-03T10:00:00Z');
    const cache = new ReadThroughCache<{ value: string }>({ ttlMs: 5_000, now: () => now });
    let reads = 0;
    const read = async () => ({ value: `read ${++reads}` });
    expect(await cache.get('k', read)).toEqual({ value: 'read 1' });
    now += 4_999;
    expect(await cache.get('k', read)).toEqual({ value: 'read 1' });
    now += 2;
    expect(await cache.get('k', read)).toEqual({ value: 'read 2' });
  });

  it('forget drops the value, and a read under way when it is called is not remembered', async () => {
    const cache = new ReadThroughCache<{ value: string }>({ ttlMs: 5_000 });
    const source = controlledRead(['before the change', 'after the change']);
    const early = cache.get('k', source.read);
    cache.forget('k');
    source.release();
    expect(await early).toEqual({ value: 'before the change' });
    const late = cache.get('k', source.read);
    source.release();
    expect(await late).toEqual({ value: 'after the change' });
    expect(await cache.get('k', source.read)).toEqual({ value: 'after the change' });
    expect(source.calls()).toBe(2);
  });

  it('a failed read is not remembered: every waiting caller gets the error, the next one reads again', async () => {
    const cache = new ReadThroughCache<{ value: string }>({ ttlMs: 5_000 });
    let fail = true;
    const read = async () => {
      if (fail) throw new Error('database unavailable');
      return { value: 'fine' };
    };
    const results = await Promise.allSettled([cache.get('k', read), cache.get('k', read)]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await cache.get('k', read)).toEqual({ value: 'fine' });
  });
});
