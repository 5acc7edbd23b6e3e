import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export interface BenchCliOptions {
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  json: boolean;
  /** `nx build` (cached when nothing changed) unless --no-build; the built service must then exist. */
  build: boolean;
  /** When set, a CPU profile of the service covering the measured run is written here. */
  cpuProfileDir?: string;
  /** Interleaved rounds over which --duration is split; only for benchmarks that take --rounds. */
  rounds?: number;
  /** Processes of the service under test; only for benchmarks that take --replicas. */
  replicas?: number;
  /** The part of the run --cpu-prof covers; only for benchmarks that name their phases. */
  cpuProfilePhase?: string;
}

/** What a benchmark adds to the shared options: each one given here is taken, with this default. */
export interface BenchArgsExtras {
  rounds?: number;
  replicas?: number;
  /** The phases --cpu-prof-phase may name; the first is the default. */
  cpuProfilePhases?: readonly [string, ...string[]];
}

export const BENCH_DEFAULTS = { durationSeconds: 15, warmupSeconds: 3, connections: 50 } as const;

/** The usage text of a load benchmark's command (they share these options); `what` says what it measures. */
export function benchUsage({ command, what, service }: { command: string; what: string; service: string }): string {
  return `usage: npm run ${command} -- [--duration <s>] [--warmup <s>] [--connections <n>] [--json] [--no-build] [--cpu-prof <dir>]

${what}

  --duration <s>     measured seconds per target (default ${BENCH_DEFAULTS.durationSeconds})
  --warmup <s>       unmeasured warm-up seconds per target before that (default ${BENCH_DEFAULTS.warmupSeconds}; 0 = none)
  --connections <n>  concurrent HTTP connections (default ${BENCH_DEFAULTS.connections})
  --json             print the report as JSON on stdout (progress still goes to stderr)
  --no-build         do not run \`nx build ${service}\` first
  --cpu-prof <dir>   write a .cpuprofile of the service during the measured run and print its hottest functions

environment: DATABASE_URL (server to create sb_bench_<random> on; default postgresql://postgres@127.0.0.1:5432),
             KAFKA_BROKERS (else a librdkafka mock cluster is started with kcat)`;
}

export const BENCH_USAGE = benchUsage({
  command: 'bench',
  service: 'proactive-delivery',
  what: `Load-tests POST /api/data/v9.2/CCaaS_CreateProactiveVoiceDelivery of the real proactive-delivery service and,
in the same run, a bare node:http + pg baseline doing the same single-row insert; prints requests/s, p50/p99
latency, errors and the throughput ratio service/baseline.`,
});

export class BenchUsageError extends Error {
  override name = 'BenchUsageError';
}

function positiveNumber(flag: string, text: string, { integer, allowZero }: { integer: boolean; allowZero: boolean }): number {
  const value = Number(text);
  const valid = Number.isFinite(value) && (allowZero ? value >= 0 : value > 0) && (!integer || Number.isInteger(value));
  if (!valid) throw new BenchUsageError(`${flag} must be a ${integer ? 'whole ' : ''}number ${allowZero ? '≥ 0' : '> 0'}, got "${text}"`);
  return value;
}

/** Parses the command line; returns undefined for --help. --rounds and --replicas only where `extras` gives their defaults. */
export function parseBenchArgs(argv: readonly string[], cwd = process.cwd(), extras: BenchArgsExtras = {}): BenchCliOptions | undefined {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        duration: { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string' },
        json: { type: 'boolean', default: false },
        'no-build': { type: 'boolean', default: false },
        'cpu-prof': { type: 'string' },
        ...(extras.rounds !== undefined && { rounds: { type: 'string' as const } }),
        ...(extras.replicas !== undefined && { replicas: { type: 'string' as const } }),
        ...(extras.cpuProfilePhases !== undefined && { 'cpu-prof-phase': { type: 'string' as const } }),
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
  if (values.help) return undefined;
  const { rounds: roundsText, replicas: replicasText, 'cpu-prof-phase': phaseText } = values as { rounds?: string; replicas?: string; 'cpu-prof-phase'?: string };
  return {
    durationSeconds: values.duration === undefined ? BENCH_DEFAULTS.durationSeconds : positiveNumber('--duration', values.duration, { integer: true, allowZero: false }),
    warmupSeconds: values.warmup === undefined ? BENCH_DEFAULTS.warmupSeconds : positiveNumber('--warmup', values.warmup, { integer: true, allowZero: true }),
    connections: values.connections === undefined ? BENCH_DEFAULTS.connections : positiveNumber('--connections', values.connections, { integer: true, allowZero: false }),
    json: values.json,
    build: !values['no-build'],
    ...(values['cpu-prof'] !== undefined && { cpuProfileDir: resolve(cwd, values['cpu-prof']) }),
    ...(extras.rounds !== undefined && { rounds: roundsText === undefined ? extras.rounds : positiveNumber('--rounds', roundsText, { integer: true, allowZero: false }) }),
    ...(extras.replicas !== undefined && { replicas: replicasText === undefined ? extras.replicas : positiveNumber('--replicas', replicasText, { integer: true, allowZero: false }) }),
    ...(extras.cpuProfilePhases !== undefined && { cpuProfilePhase: oneOf('--cpu-prof-phase', phaseText ?? extras.cpuProfilePhases[0], extras.cpuProfilePhases) }),
  };
}

function oneOf(flag: string, text: string, allowed: readonly string[]): string {
  if (!allowed.includes(text)) throw new BenchUsageError(`${flag} must be one of ${allowed.join(', ')}, got "${text}"`);
  return text;
}

/** A whole-number option of a benchmark's command line (--events, --clients, …). */
export interface CountOption {
  default: number;
  min: number;
  max: number;
}

/** The options of a benchmark that takes counts instead of a duration: the counts, and the flags every benchmark has. */
export interface CountedBenchOptions<K extends string> {
  counts: Record<K, number>;
  json: boolean;
  build: boolean;
  cpuProfileDir?: string;
}

/** Parses `--<count> <n>` options within their limits plus --json, --no-build, --cpu-prof; undefined for --help. */
export function parseCountedBenchArgs<K extends string>(argv: readonly string[], countOptions: Record<K, CountOption>, cwd = process.cwd()): CountedBenchOptions<K> | undefined {
  const names = Object.keys(countOptions) as K[];
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        ...Object.fromEntries(names.map((name) => [name, { type: 'string' as const }])),
        json: { type: 'boolean', default: false },
        'no-build': { type: 'boolean', default: false },
        'cpu-prof': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
  if (values['help']) return undefined;
  const counts = {} as Record<K, number>;
  for (const name of names) {
    const { default: fallback, min, max } = countOptions[name];
    const text = values[name];
    const value = typeof text === 'string' ? Number(text) : fallback;
    if (!Number.isInteger(value) || value < min || value > max) throw new BenchUsageError(`--${name} must be a whole number from ${min} to ${max}, got "${String(text)}"`);
    counts[name] = value;
  }
  const cpuProfile = values['cpu-prof'];
  return {
    counts,
    json: values['json'] === true,
    build: values['no-build'] !== true,
    ...(typeof cpuProfile === 'string' && { cpuProfileDir: resolve(cwd, cpuProfile) }),
  };
}

/** The parsed options, or the exit code once the usage (--help: 0) or the problem with it (2) is printed. */
export function benchArgsOrExitCode(argv: readonly string[], command: string, usage: string, extras: BenchArgsExtras = {}): BenchCliOptions | number {
  return parsedOrExitCode(() => parseBenchArgs(argv, process.cwd(), extras), command, usage);
}

/** parseCountedBenchArgs, or the exit code once the usage (--help: 0) or the problem with it (2) is printed. */
export function countedBenchArgsOrExitCode<K extends string>(argv: readonly string[], command: string, usage: string, countOptions: Record<K, CountOption>): CountedBenchOptions<K> | number {
  return parsedOrExitCode(() => parseCountedBenchArgs(argv, countOptions), command, usage);
}

function parsedOrExitCode<T>(parse: () => T | undefined, command: string, usage: string): T | number {
  try {
    const options = parse();
    if (options !== undefined) return options;
    process.stdout.write(`${usage}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    process.stderr.write(`${command}: ${error.message}\n${usage}\n`);
    return 2;
  }
}
