import { describe, expect, it } from 'vitest';
import { CleanupStack } from './cleanup-stack';

describe('CleanupStack', () => {
  it('undoes last-first, runs every step although one fails, and reports the failure', async () => {
    const order: string[] = [];
    const stack = new CleanupStack();
    stack.add('database', async () => void order.push('database'));
    stack.add('service', async () => {
      order.push('service');
      throw new Error('would not stop');
    });
    stack.add('load', async () => void order.push('load'));
    expect(await stack.runAll()).toEqual(['service: would not stop']);
    expect(order).toEqual(['load', 'service', 'database']);
  });

  it('runs each step once when cleanup is asked for twice at the same time (Ctrl-C during cleanup)', async () => {
    let runs = 0;
    const stack = new CleanupStack();
    stack.add('once', async () => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
    });
    await Promise.all([stack.runAll(), stack.runAll()]);
    expect(runs).toBe(1);
  });
});
