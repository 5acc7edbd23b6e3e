/**
 * `npm run bench:export`: storage-export exporting session recordings to a local OpenSSH SFTP server through
 * the service path (SessionEnded → fetch by URL → temporary name + atomic rename), side by side in the same run
 * with `rclone copy` of the same files to the same server; prints both throughputs, the ratio (goal ≥ 1.0) and,
 * with --big-mib, the service's peak RSS while it exports one large file (goal < 200 MB).
 */
import { resolve } from 'node:path';
import { countedBenchArgsOrExitCode } from '../bench-options';
import { DEFAULT_POSTGRES_SERVER } from '../bench-database';
import { benchEnvironmentFromProcess } from '../cleanup-stack';
import { formatExportReport, runExportBench } from './run-export-bench';

const workspaceRoot = resolve(__dirname, '../../..');
const log = (line: string) => process.stderr.write(`[bench:export] ${line}\n`);
const USAGE = `usage: npm run bench:export -- [--files <n, default 1000>] [--file-kib <KiB, default 256>] [--big-files <n, default 5>] [--big-mib <MiB, default 100>]
                            [--rss-mib <MiB, default 1024; 0 = none>] [--json] [--no-build] [--cpu-prof <dir>]

The default is the issue's set: 1,000 small files and five 100 MiB files, each side by side with rclone copy, then one
1 GiB recording exported by the service alone while its RSS is sampled (flagged at or over 200 MB).
--cpu-prof writes a .cpuprofile of the service while it exports the small files and prints its hottest functions.

environment: DATABASE_URL (server to create sb_bench_<random> on; default postgresql://postgres@127.0.0.1:5432),
             KAFKA_BROKERS (else a librdkafka mock cluster is started with kcat); needs sshd and rclone`;

async function main(): Promise<number> {
  const options = countedBenchArgsOrExitCode(process.argv.slice(2), 'bench:export', USAGE, {
    files: { default: 1000, min: 1, max: 100_000 },
    'file-kib': { default: 256, min: 1, max: 1024 * 1024 },
    'big-files': { default: 5, min: 0, max: 1000 },
    'big-mib': { default: 100, min: 0, max: 16 * 1024 },
    'rss-mib': { default: 1024, min: 0, max: 16 * 1024 },
  });
  if (typeof options === 'number') return options;
  const report = await runExportBench({
    ...benchEnvironmentFromProcess(workspaceRoot, DEFAULT_POSTGRES_SERVER, log),
    files: options.counts.files,
    fileKiB: options.counts['file-kib'],
    bigFiles: options.counts['big-files'],
    bigMiB: options.counts['big-mib'],
    rssMiB: options.counts['rss-mib'],
    build: options.build ? 'nx' : 'never',
    ...(options.cpuProfileDir && { cpuProfileDir: options.cpuProfileDir }),
  });
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatExportReport(report)}\n`);
  return report.problems.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench:export failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
