/**
 * `npm run bench`: the create API (POST /api/data/v9.2/CCaaS_CreateProactiveVoiceDelivery) of the real
 * proactive-delivery service under load, side by side with a bare node:http + pg baseline doing the same
 * single-row insert, in one run; prints requests/s, p50/p99 latency, errors and the throughput ratio.
 * Usage: see BENCH_USAGE in bench-options.ts (`npm run bench -- --help`).
 */
import { resolve } from 'node:path';
import { BENCH_USAGE, benchArgsOrExitCode } from './bench-options';
import { DEFAULT_POSTGRES_SERVER } from './bench-database';
import { benchEnvironmentFromProcess } from './cleanup-stack';
import { formatProfileSummary } from './cpu-profile-summary';
import { formatReport } from './report';
import { runBench } from './run-bench';

const workspaceRoot = resolve(__dirname, '../..');
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function main(): Promise<number> {
  const options = benchArgsOrExitCode(process.argv.slice(2), 'bench', BENCH_USAGE);
  if (typeof options === 'number') return options;
  const report = await runBench({
    ...benchEnvironmentFromProcess(workspaceRoot, DEFAULT_POSTGRES_SERVER, log),
    durationSeconds: options.durationSeconds,
    warmupSeconds: options.warmupSeconds,
    connections: options.connections,
    build: options.build ? 'nx' : 'never',
    ...(options.cpuProfileDir && { cpuProfileDir: options.cpuProfileDir }),
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(`${formatReport(report)}\n`);
    if (report.cpuProfile) process.stdout.write(`\n${formatProfileSummary(report.cpuProfile.summary, report.cpuProfile.file)}\n`);
  }
  // Figures from a run with failed requests or missing rows are not to be trusted: say so in the exit code.
  return report.problems.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    log(`failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
