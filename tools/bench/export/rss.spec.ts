import { describe, expect, it } from 'vitest';
import { rssBytes, rssVerdict, sampleRss } from './rss';

describe('export benchmark RSS check', () => {
  it('flags a peak at or over 200 MB (decimal) and passes one below it', () => {
    expect(rssVerdict(199_999_999)).toEqual({ overGoal: false, text: 'peak 191 MiB (200 MB), under the 200 MB goal' });
    expect(rssVerdict(200_000_000).overGoal).toBe(true);
    expect(rssVerdict(300 * 1024 * 1024)).toEqual({ overGoal: true, text: 'peak 300 MiB (315 MB) — OVER the 200 MB goal' });
  });

  it('reads and samples the resident memory of a live process', async () => {
    const own = await rssBytes(process.pid);
    expect(own).toBeGreaterThan(10 * 1024 * 1024);
    const sampler = sampleRss(process.pid, 10);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sampler.stop()).toBeGreaterThan(10 * 1024 * 1024);
  });
});
