import { benchArgsOrExitCode } from './bench-options';
import { DEFAULT_POSTGRES_SERVER } from './bench-database';
import { benchEnvironmentFromProcess } from './cleanup-stack';
import { formatProfileSummary } from './cpu-profile-summary';
import type { LoadBenchOptions } from './load-bench';
import { BenchReport, formatReport } from './report';

/**
 * The command line of a service-against-baseline load benchmark (`npm run bench`, `npm run bench:ingest`):
 * parses the shared options, runs the benchmark with this process's environment (Ctrl-C cleans up), prints
 * the report (or JSON) and exits 1 when the report lists problems, 2 on a bad option.
 */
export function runBenchCommand({ name, usage, workspaceRoot, run }: { name: string; usage: string; workspaceRoot: string; run: (options: LoadBenchOptions) => Promise<BenchReport> }): void {
  const log = (line: string) => process.stderr.write(`[${name}] ${line}\n`);
  main().then(
    (code) => process.exit(code),
    (error: Error) => {
      log(`failed: ${error.stack ?? error.message}`);
      process.exit(1);
    },
  );

  async function main(): Promise<number> {
    const options = benchArgsOrExitCode(process.argv.slice(2), name, usage);
    if (typeof options === 'number') return options;
    const report = await run({
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
}
