/**
 * `npm run bench:consumer`: events per second from an outbox insert through event-bridge's relay, Kafka and
 * crm-sync's inbox consumer into one effect row, against a bare kafkajs produce/consume of the same
 * messages into a copy of the same table, interleaved in rounds (bare, pipeline, bare, pipeline, …); prints
 * each round's rates and ratio, the median/min/max of the ratios, and the CPU each process spent per
 * 1,000 events. `--rounds 1 --events 20000` is the former single-shot run.
 *
 *   npm run bench:consumer -- [--events 20000] [--rounds 8] [--json] [--no-build] [--cpu-prof <dir>]
 *
 * Environment: DATABASE_URL (server to create sb_bench_<random> on), KAFKA_BROKERS (else a kcat mock).
 */
import { resolve } from 'node:path';
import { DEFAULT_POSTGRES_SERVER } from '../bench-database';
import { benchEnvironmentFromProcess } from '../cleanup-stack';
import { countedBenchArgsOrExitCode } from '../bench-options';
import { formatProfileSummary } from '../cpu-profile-summary';
import { formatConsumerReport } from './consumer-report';
import { runConsumerBench } from './run-consumer-bench';

const workspaceRoot = resolve(__dirname, '../../..');
const log = (line: string) => process.stderr.write(`[bench:consumer] ${line}\n`);
const USAGE =
  'usage: npm run bench:consumer -- [--events <n per round and side, default 20000>] [--rounds <n, default 8>] [--json] [--no-build] [--cpu-prof <dir>]';

async function main(): Promise<number> {
  const options = countedBenchArgsOrExitCode(process.argv.slice(2), 'bench:consumer', USAGE, {
    events: { default: 20_000, min: 1, max: 10_000_000 },
    rounds: { default: 8, min: 1, max: 1_000 },
  });
  if (typeof options === 'number') return options;
  const report = await runConsumerBench({
    ...benchEnvironmentFromProcess(workspaceRoot, DEFAULT_POSTGRES_SERVER, log),
    events: options.counts.events,
    rounds: options.counts.rounds,
    build: options.build ? 'nx' : 'never',
    ...(options.cpuProfileDir && { cpuProfileDir: options.cpuProfileDir }),
  });
  if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    process.stdout.write(`${formatConsumerReport(report)}\n`);
    for (const profile of report.cpuProfiles ?? []) process.stdout.write(`\n${profile.service}: ${formatProfileSummary(profile.summary, profile.file)}\n`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench:consumer failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
