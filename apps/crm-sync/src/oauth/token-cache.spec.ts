import { describe, expect, it } from 'vitest';
import { TokenCache } from './token-cache';

describe('TokenCache (CS1.1 tokens cached until shortly before expiry, refreshed once under concurrency)', () => {
  const clock = () => {
    let now = 1_000_000;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  };

  it('CS1.1 reuses a token until its lifetime minus min(5 min, a tenth of it), then asks again', async () => {
    const time = clock();
    const cache = new TokenCache(time.now);
    let issued = 0;
    const issue = async () => ({ accessToken: `t${++issued}`, expiresInSeconds: 3600 });

    expect(await cache.get('tenant', issue)).toBe('t1');
    time.advance((3600 - 300) * 1000 - 1);
    expect(await cache.get('tenant', issue)).toBe('t1');
    time.advance(1);
    expect(await cache.get('tenant', issue)).toBe('t2');

    const short = new TokenCache(time.now);
    await short.get('k', async () => ({ accessToken: 'a', expiresInSeconds: 60 }));
    time.advance(53_999);
    expect(await short.get('k', async () => ({ accessToken: 'b', expiresInSeconds: 60 }))).toBe('a');
    time.advance(1);
    expect(await short.get('k', async () => ({ accessToken: 'b', expiresInSeconds: 60 }))).toBe('b');
  });

  it('CS1.1 many concurrent callers share one request; a failure is shared but not cached', async () => {
    const cache = new TokenCache();
    let calls = 0;
    let fail = true;
    const issue = async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (fail) throw new Error('token endpoint down');
      return { accessToken: 'ok', expiresInSeconds: 3600 };
    };

    const failed = await Promise.allSettled(Array.from({ length: 50 }, () => cache.get('k', issue)));
    expect(failed.every((result) => result.status === 'rejected')).toBe(true);
    expect(calls).toBe(1);
    fail = false;
    expect(await Promise.all(Array.from({ length: 50 }, () => cache.get('k', issue)))).toEqual(Array(50).fill('ok'));
    expect(calls).toBe(2);
  });

  it('CS1.1 invalidate forgets one key; invalidatePrefix a tenant; keys do not share tokens', async () => {
    const cache = new TokenCache();
    let n = 0;
    const issue = async () => ({ accessToken: `t${++n}`, expiresInSeconds: 3600 });
    expect(await cache.get('a:1', issue)).toBe('t1');
    expect(await cache.get('b:1', issue)).toBe('t2');
    cache.invalidate('a:1');
    expect(await cache.get('a:1', issue)).toBe('t3');
    cache.invalidatePrefix('b:');
    expect(await cache.get('b:1', issue)).toBe('t4');
    expect(await cache.get('a:1', issue)).toBe('t3');
  });
});
