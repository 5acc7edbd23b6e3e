import { describe, expect, it, vi } from 'vitest';
import { MessagingLogger } from './logger';
import { stopWithin } from './stop-within';

const recordingLogger = () => {
  const warnings: string[] = [];
  const logger: MessagingLogger = { debug: vi.fn(), info: vi.fn(), error: vi.fn(), warn: (message) => void warnings.push(message) };
  return { logger, warnings };
};

describe('stopWithin (P4.3 shutdown ends within its grace period)', () => {
  it('gives the stop its time and says nothing when it ends', async () => {
    const { logger, warnings } = recordingLogger();
    expect(await stopWithin('consumer', new Promise((resolve) => setTimeout(resolve, 20)), 1_000, logger)).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('stops waiting for a stop that never ends, and names it', async () => {
    const { logger, warnings } = recordingLogger();
    const started = Date.now();
    expect(await stopWithin('consumer group g', new Promise(() => undefined), 50, logger)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(warnings).toEqual([expect.stringContaining('consumer group g: not stopped after 50 ms')]);
  });

  it('a stop that fails after its deadline is logged, not left unhandled', async () => {
    const { logger, warnings } = recordingLogger();
    let fail: (error: Error) => void = () => undefined;
    const stopping = new Promise<void>((_resolve, reject) => (fail = reject));
    await stopWithin('relay', stopping, 10, logger);
    fail(new Error('broker gone'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(warnings[1]).toContain('relay: failed while stopping after its deadline');
  });

  it('a stop that fails in time fails the caller', async () => {
    const { logger } = recordingLogger();
    await expect(stopWithin('relay', Promise.reject(new Error('broker gone')), 1_000, logger)).rejects.toThrow('broker gone');
  });
});
