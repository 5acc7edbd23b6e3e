import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebhookPoster } from './messaging-simulator-kit';

describe('WebhookPoster.later: status steps of many messages', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('runs each work no earlier than its delay, in the order asked, and settled() waits for all of it', async () => {
    const poster = new WebhookPoster();
    const ran: Array<{ name: string; afterMs: number }> = [];
    const start = performance.now();
    const work = (name: string) => async () => {
      ran.push({ name, afterMs: performance.now() - start });
    };
    for (let index = 0; index < 50; index++) poster.later(15, work(`a${index}`));
    poster.later(5, work('early'));
    poster.later(30, async () => {
      // Work scheduled from a running work is waited for too (a message's next status step).
      poster.later(5, work('chained'));
    });
    await poster.settled();
    expect(ran.map((one) => one.name)).toEqual(['early', ...Array.from({ length: 50 }, (_, index) => `a${index}`), 'chained']);
    expect(ran.find((one) => one.name === 'early')?.afterMs).toBeGreaterThanOrEqual(4);
    expect(Math.min(...ran.filter((one) => one.name.startsWith('a')).map((one) => one.afterMs))).toBeGreaterThanOrEqual(14);
    expect(ran.at(-1)?.afterMs).toBeGreaterThanOrEqual(34);
  });

  it('keeps one timer per delay, not one per scheduled work', async () => {
    const poster = new WebhookPoster();
    const timers = vi.spyOn(globalThis, 'setTimeout');
    for (let index = 0; index < 200; index++) poster.later(20, async () => undefined);
    await poster.settled();
    expect(timers.mock.calls.length).toBeLessThan(20);
  });
});
