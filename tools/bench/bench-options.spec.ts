import { describe, expect, it } from 'vitest';
import { BENCH_DEFAULTS, BenchUsageError, parseBenchArgs } from './bench-options';

describe('bench command line', () => {
  it('uses 15 s measured, 3 s warm-up and 50 connections by default, and builds first', () => {
    expect(parseBenchArgs([])).toEqual({ ...BENCH_DEFAULTS, json: false, build: true });
  });

  it('reads every option', () => {
    expect(parseBenchArgs(['--duration', '30', '--warmup', '0', '--connections', '8', '--json', '--no-build', '--cpu-prof', 'prof'], '/w')).toEqual({
      durationSeconds: 30,
      warmupSeconds: 0,
      connections: 8,
      json: true,
      build: false,
      cpuProfileDir: '/w/prof',
    });
  });

  it('returns undefined for --help', () => {
    expect(parseBenchArgs(['--help'])).toBeUndefined();
  });

  it.each([
    [['--duration', '0'], '--duration must be a whole number > 0, got "0"'],
    [['--connections', '2.5'], '--connections must be a whole number > 0, got "2.5"'],
    [['--warmup=-1'], '--warmup must be a whole number ≥ 0, got "-1"'],
    [['--nope'], "Unknown option '--nope'"],
  ])('refuses %j', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });
});
