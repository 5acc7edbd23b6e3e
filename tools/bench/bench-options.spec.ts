import { describe, expect, it } from 'vitest';
import { BENCH_DEFAULTS, BenchUsageError, parseBenchArgs, parseCountedBenchArgs } from './bench-options';

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

  it('takes --rounds only where the benchmark gives it a default', () => {
    expect(parseBenchArgs([], '/w', { rounds: 5 })).toMatchObject({ rounds: 5 });
    expect(parseBenchArgs(['--rounds', '3'], '/w', { rounds: 5 })).toMatchObject({ rounds: 3 });
    expect(() => parseBenchArgs(['--rounds', '0'], '/w', { rounds: 5 })).toThrow('--rounds must be a whole number > 0, got "0"');
    expect(() => parseBenchArgs(['--rounds', '3'])).toThrow("Unknown option '--rounds'");
  });

  it('takes --replicas only where the benchmark gives it a default', () => {
    expect(parseBenchArgs([], '/w', { replicas: 2 })).toMatchObject({ replicas: 2 });
    expect(parseBenchArgs(['--replicas', '1'], '/w', { replicas: 2 })).toMatchObject({ replicas: 1 });
    expect(() => parseBenchArgs(['--replicas', '1.5'], '/w', { replicas: 2 })).toThrow('--replicas must be a whole number > 0, got "1.5"');
    expect(() => parseBenchArgs(['--replicas', '2'])).toThrow("Unknown option '--replicas'");
  });

  it('takes --cpu-prof-phase only where the benchmark names its phases, the first by default', () => {
    const phases = ['accepting', 'sending'] as const;
    expect(parseBenchArgs([], '/w', { cpuProfilePhases: phases })).toMatchObject({ cpuProfilePhase: 'accepting' });
    expect(parseBenchArgs(['--cpu-prof-phase', 'sending'], '/w', { cpuProfilePhases: phases })).toMatchObject({ cpuProfilePhase: 'sending' });
    expect(() => parseBenchArgs(['--cpu-prof-phase', 'both'], '/w', { cpuProfilePhases: phases })).toThrow('--cpu-prof-phase must be one of accepting, sending, got "both"');
    expect(() => parseBenchArgs(['--cpu-prof-phase', 'sending'])).toThrow("Unknown option '--cpu-prof-phase'");
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

describe('counted bench command line (bench:consumer, bench:pops, …)', () => {
  const counts = { events: { default: 20_000, min: 1, max: 10_000_000 }, replicas: { default: 1, min: 1, max: 4 } };

  it('takes the defaults, builds first, and reads every flag', () => {
    expect(parseCountedBenchArgs([], counts)).toEqual({ counts: { events: 20_000, replicas: 1 }, json: false, build: true });
    expect(parseCountedBenchArgs(['--events', '500', '--replicas=3', '--json', '--no-build', '--cpu-prof', 'p'], counts, '/w')).toEqual({
      counts: { events: 500, replicas: 3 },
      json: true,
      build: false,
      cpuProfileDir: '/w/p',
    });
    expect(parseCountedBenchArgs(['-h'], counts)).toBeUndefined();
  });

  it.each([
    [['--events', 'x'], '--events must be a whole number from 1 to 10000000, got "x"'],
    [['--replicas', '5'], '--replicas must be a whole number from 1 to 4, got "5"'],
    [['--events', '1.5'], '--events must be a whole number from 1 to 10000000, got "1.5"'],
    [['--duration', '3'], "Unknown option '--duration'"],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCountedBenchArgs(argv, counts)).toThrow(BenchUsageError);
    expect(() => parseCountedBenchArgs(argv, counts)).toThrow(message);
  });
});
