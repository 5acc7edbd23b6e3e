import { describe, expect, it } from 'vitest';
import { CallGate } from './call-gate';

/** A call that ends when the test says. */
function pending<T>() {
  let settle!: (value: T) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<T>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  return { promise, settle, fail };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('CallGate (the sender\'s provider calls under way at once)', () => {
  it('runs at most its limit at once; the others start in arrival order as calls end, failed ones too', async () => {
    const gate = new CallGate(2);
    const calls = [pending<string>(), pending<string>(), pending<string>(), pending<string>()];
    const started: number[] = [];
    const results = calls.map((call, index) =>
      gate.run(() => {
        started.push(index);
        return call.promise;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(gate.load).toEqual({ running: 2, waiting: 2 });

    calls[1]?.fail(new Error('refused'));
    await expect(results[1]).rejects.toThrow('refused');
    await tick();
    expect(started).toEqual([0, 1, 2]);

    calls[0]?.settle('a');
    calls[2]?.settle('c');
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    calls[3]?.settle('d');
    expect(await Promise.all([results[0], results[2], results[3]])).toEqual(['a', 'c', 'd']);
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });
});
