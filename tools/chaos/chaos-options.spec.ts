import { describe, expect, it } from 'vitest';
import { parseChaosArgs } from './chaos-options';

describe('npm run chaos options (issue 12)', () => {
  it('takes the documented defaults, with a random seed that is printed for a re-run', () => {
    expect(parseChaosArgs([], () => 42)).toEqual({ units: 10_400, durationSeconds: 300, killEverySeconds: 5, seed: 42, drainSeconds: 420, concurrency: 16, build: true });
  });

  it('reads every option', () => {
    expect(parseChaosArgs(['--units', '400', '--duration', '60', '--kill-every', '8', '--seed', '7', '--drain', '90', '--concurrency', '4', '--no-build'])).toEqual({
      units: 400,
      durationSeconds: 60,
      killEverySeconds: 8,
      seed: 7,
      drainSeconds: 90,
      concurrency: 4,
      build: false,
    });
  });

  it('names a bad value or an unknown option', () => {
    expect(() => parseChaosArgs(['--units', 'many'])).toThrow('--units must be a number ≥ 1, not "many"');
    expect(() => parseChaosArgs(['--kill-every', '0'])).toThrow('--kill-every');
    expect(() => parseChaosArgs(['--kills', '3'])).toThrow(/kills/);
  });
});
