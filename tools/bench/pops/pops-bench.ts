/**
 * `npm run bench:pops`: screen-pop latency from a producer's outbox commit to the agent's Server-Sent Events
 * stream, with hundreds of streams open: event-bridge (built) against a throw-away database and Kafka; pops
 * published on crm.record-pops.v1 at a steady rate; prints p50/p90/p99/max and whether every stream got
 * every pop of its agent exactly once.
 *
 *   npm run bench:pops -- [--clients 500] [--agents 100] [--pops 500] [--rate 50] [--replicas 1] [--json] [--no-build] [--cpu-prof <dir>]
 *
 * Environment: DATABASE_URL (server to create sb_bench_<random> on), KAFKA_BROKERS (else a kcat mock).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_POSTGRES_SERVER } from '../bench-database';
import { benchEnvironmentFromProcess } from '../cleanup-stack';
import { formatProfileSummary } from '../cpu-profile-summary';
import { formatPopsReport } from './pops-report';
import { runPopsBench } from './run-pops-bench';

const workspaceRoot = resolve(__dirname, '../../..');
const log = (line: string) => process.stderr.write(`[bench:pops] ${line}\n`);
const USAGE =
  'usage: npm run bench:pops -- [--clients <n, default 500>] [--agents <n, default 100>] [--pops <n, default 500>] [--rate <pops/s, default 50>] ' +
  '[--replicas <1-4, default 1>] [--json] [--no-build] [--cpu-prof <dir>]';

const LIMITS = { clients: [1, 20_000], agents: [1, 20_000], pops: [1, 1_000_000], rate: [1, 10_000], replicas: [1, 4] } as const;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: '500' },
      agents: { type: 'string', default: '100' },
      pops: { type: 'string', default: '500' },
      rate: { type: 'string', default: '50' },
      replicas: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const numbers: Record<string, number> = {};
  for (const [name, [min, max]] of Object.entries(LIMITS)) {
    const value = Number(values[name as keyof typeof LIMITS]);
    if (!Number.isInteger(value) || value < min || value > max) {
      process.stderr.write(`--${name} must be a whole number from ${min} to ${max}, got "${values[name as keyof typeof LIMITS]}"\n${USAGE}\n`);
      return 2;
    }
    numbers[name] = value;
  }
  if (numbers['agents'] > numbers['clients']) {
    process.stderr.write(`--agents (${numbers['agents']}) must not exceed --clients (${numbers['clients']}): every agent needs a stream\n`);
    return 2;
  }
  const report = await runPopsBench({
    ...benchEnvironmentFromProcess(workspaceRoot, DEFAULT_POSTGRES_SERVER, log),
    clients: numbers['clients'],
    agents: numbers['agents'],
    pops: numbers['pops'],
    popsPerSecond: numbers['rate'],
    replicas: numbers['replicas'],
    build: values['no-build'] ? 'never' : 'nx',
    ...(values['cpu-prof'] && { cpuProfileDir: resolve(values['cpu-prof']) }),
  });
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    process.stdout.write(`${formatPopsReport(report)}\n`);
    for (const profile of report.cpuProfiles ?? []) process.stdout.write(`\n${profile.service}: ${formatProfileSummary(profile.summary, profile.file)}\n`);
  }
  return report.received === report.expected && report.duplicates === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench:pops failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
