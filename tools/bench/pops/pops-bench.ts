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
import { DEFAULT_POSTGRES_SERVER } from '../bench-database';
import { countedBenchArgsOrExitCode } from '../bench-options';
import { benchEnvironmentFromProcess } from '../cleanup-stack';
import { formatProfileSummary } from '../cpu-profile-summary';
import { formatPopsReport } from './pops-report';
import { runPopsBench } from './run-pops-bench';

const workspaceRoot = resolve(__dirname, '../../..');
const log = (line: string) => process.stderr.write(`[bench:pops] ${line}\n`);
const USAGE =
  'usage: npm run bench:pops -- [--clients <n, default 500>] [--agents <n, default 100>] [--pops <n, default 500>] [--rate <pops/s, default 50>] ' +
  '[--replicas <1-4, default 1>] [--json] [--no-build] [--cpu-prof <dir>]';

const COUNTS = {
  clients: { default: 500, min: 1, max: 20_000 },
  agents: { default: 100, min: 1, max: 20_000 },
  pops: { default: 500, min: 1, max: 1_000_000 },
  rate: { default: 50, min: 1, max: 10_000 },
  replicas: { default: 1, min: 1, max: 4 },
};

async function main(): Promise<number> {
  const options = countedBenchArgsOrExitCode(process.argv.slice(2), 'bench:pops', USAGE, COUNTS);
  if (typeof options === 'number') return options;
  const { counts } = options;
  if (counts.agents > counts.clients) {
    process.stderr.write(`bench:pops: --agents (${counts.agents}) must not exceed --clients (${counts.clients}): every agent needs a stream\n`);
    return 2;
  }
  const report = await runPopsBench({
    ...benchEnvironmentFromProcess(workspaceRoot, DEFAULT_POSTGRES_SERVER, log),
    clients: counts.clients,
    agents: counts.agents,
    pops: counts.pops,
    popsPerSecond: counts.rate,
    replicas: counts.replicas,
    build: options.build ? 'nx' : 'never',
    ...(options.cpuProfileDir && { cpuProfileDir: options.cpuProfileDir }),
  });
  if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
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
