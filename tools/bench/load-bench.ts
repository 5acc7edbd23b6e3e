import { deployMigrations } from '@switchboard/persistence/migrate';
import { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtEntryPoint, RunningService, startService, waitUntilReady } from '../stack/service-process';
import type { ServiceName } from '../stack/services';
import { buildServices } from '../start/build-services';
import { BenchDatabase, checkpoint, countRows, createBenchDatabase } from './bench-database';
import { benchKafka, benchServiceEnv } from './bench-service';
import { BenchEnvironment, CleanupStack } from './cleanup-stack';
import { backendPids, CpuSnapshot, takeSnapshot, usageBetween } from './cpu-usage';
import type { LoadConfig } from './load-protocol';
import { runLoad } from './run-load';
import { ServiceProfiler } from './service-profiler';
import { BenchReport, BenchSettings, problemsOf, targetReport, TargetName, TargetReport, THROUGHPUT_GOAL_RATIO, throughputRatio } from './report';

/**
 * The shared machinery of the service-against-baseline load benchmarks (`npm run bench`, `npm run bench:ingest`):
 * a built service on a throw-away database and Kafka, then each target loaded in turn by autocannon in its own
 * process, with CPU time per process and a check that every 2xx answer is a stored row.
 */

/** The services' Prisma pool (createPgAdapter's default); the baselines get the same. */
export const POOL_SIZE = 10;

export interface LoadBenchOptions extends BenchEnvironment {
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
}

export interface ServiceUnderLoad {
  database: BenchDatabase;
  service: RunningService;
  /** Where the service's development-token keys are: mint tokens it accepts with mintDevToken({ keysDir }). */
  keysDir: string;
  profiler?: ServiceProfiler;
}

async function ensureBuilt({ workspaceRoot, build, log }: LoadBenchOptions, name: ServiceName): Promise<void> {
  const built = existsSync(builtEntryPoint(workspaceRoot, name));
  if (build === 'never' || (build === 'if-missing' && built)) return;
  log(`building ${name} (nx build)`);
  await buildServices({ workspaceRoot, projects: [name] });
}

/**
 * Builds the service unless told not to, creates sb_bench_<random> with its migrations (then `prepareDatabase`,
 * e.g. the baseline's table), starts a Kafka mock unless KAFKA_BROKERS is given, and starts the service with
 * benchServiceEnv (development tokens, no rate limits, quiet logs) and `env`.
 * Everything is registered on `cleanup`.
 */
export async function startServiceUnderLoad(
  options: LoadBenchOptions,
  cleanup: CleanupStack,
  { name, env, prepareDatabase }: { name: ServiceName; env?: Record<string, string>; prepareDatabase?: (url: string) => Promise<void> },
): Promise<ServiceUnderLoad> {
  const { workspaceRoot, log } = options;
  await ensureBuilt(options, name);

  const database = await createBenchDatabase(options.postgresUrl);
  cleanup.add(`drop database ${database.name}`, database.drop);
  log(`database ${database.name}: deploying ${name} migrations`);
  await deployMigrations({ service: name, databaseUrl: database.url, workspaceRoot });
  await prepareDatabase?.(database.url);

  const kafka = await benchKafka(options.kafkaBrokers, cleanup, log);

  const keysDir = await mkdtemp(join(tmpdir(), 'sb-bench-keys-'));
  cleanup.add('remove the dev key folder', () => rm(keysDir, { recursive: true, force: true }));

  const profiler = options.cpuProfileDir ? new ServiceProfiler(options.cpuProfileDir, workspaceRoot) : undefined;
  log(`starting ${name}`);
  const service = await startService(name, {
    workspaceRoot,
    // As deployed (Docker, Kubernetes): `node main.js`, no source maps.
    sourceMaps: false,
    env: { ...benchServiceEnv(name, { databaseUrl: database.url, kafka, keysDir }), SHUTDOWN_GRACE_MS: '3000', ...env, ...profiler?.serviceEnv() },
  });
  cleanup.add(`stop ${name}`, () => service.stop(10_000));
  await waitUntilReady(service);
  return { database, service, keysDir, ...(profiler && { profiler }) };
}

/** One target of a run: where to send the load, what it does, and where its rows land. */
export interface LoadTarget {
  target: TargetName;
  process: ChildProcess;
  /** The load generator's settings for this target, but for the run's shared ones. */
  load: Omit<LoadConfig, 'connections' | 'durationSeconds' | 'warmupSeconds'>;
  /** schema.table that gains one row per 2xx answer, whose `id` is the answer's id. */
  table: string;
}

/**
 * Loads each target in turn (warm-up, then the measured run) and reports its figures, CPU time per request
 * (target, its Postgres backends, load generator) and whether its answers match its rows. With a profiler,
 * the service is profiled during its measured run.
 */
export async function measureTargets(
  options: LoadBenchOptions,
  cleanup: CleanupStack,
  { database, profiler }: ServiceUnderLoad,
  plan: LoadTarget[],
): Promise<{ targets: TargetReport[]; cpuProfile?: BenchReport['cpuProfile'] }> {
  const { workspaceRoot, log, connections } = options;
  const targets: TargetReport[] = [];
  let cpuProfile: BenchReport['cpuProfile'];
  for (const { target, process: targetProcess, load: loadConfig, table } of plan) {
    await checkpoint(database.url);
    const before = await countRows(database.url, table, []);
    const profiled = target === 'service' ? profiler : undefined;
    log(`${target}: ${options.warmupSeconds} s warm-up, then ${options.durationSeconds} s measured, ${connections} connections`);
    let loadGeneratorPid: number | undefined;
    let postgresPids: number[] = [];
    let cpuBefore: Promise<CpuSnapshot> | undefined;
    let cpuAfter: CpuSnapshot | undefined;
    const load = await runLoad({
      workspaceRoot,
      config: { ...loadConfig, connections, durationSeconds: options.durationSeconds, warmupSeconds: options.warmupSeconds },
      onMeasuring: () => {
        profiled?.start(targetProcess);
        cpuBefore = backendPids(database.url, database.name, target).then((pids) => {
          postgresPids = pids;
          return takeSnapshot(targetProcess.pid, loadGeneratorPid, pids);
        });
      },
      onFinished: () => (cpuAfter = takeSnapshot(targetProcess.pid, loadGeneratorPid, postgresPids)),
      onSpawn: (child) => {
        loadGeneratorPid = child.pid;
        cleanup.add(`stop the ${target} load`, async () => void child.kill('SIGKILL'));
      },
    });
    const cpu = cpuBefore && cpuAfter ? usageBetween(await cpuBefore, cpuAfter, load.measured.ok2xx) : { perRequestMs: {} };
    if (profiled) cpuProfile = await profiled.stopAndSummarize(targetProcess);
    const after = await countRows(database.url, table, load.ids);
    targets.push(targetReport(target, loadConfig.url, load, { total: after.total - before.total, matching: after.matching }, cpu));
  }
  return { targets, ...(cpuProfile && { cpuProfile }) };
}

/** The report of a baseline-then-service run: the ratio of their 2xx throughput against the goal, and any problem. */
export function compareTargets(
  options: LoadBenchOptions,
  settings: Omit<BenchSettings, 'connections' | 'durationSeconds' | 'warmupSeconds' | 'poolSize'>,
  { targets, cpuProfile }: Awaited<ReturnType<typeof measureTargets>>,
): BenchReport {
  const [baselineReport, serviceReport] = targets;
  const ratio = throughputRatio(baselineReport, serviceReport);
  return {
    settings: { ...settings, connections: options.connections, durationSeconds: options.durationSeconds, warmupSeconds: options.warmupSeconds, poolSize: POOL_SIZE },
    targets,
    throughputRatio: ratio,
    goalRatio: THROUGHPUT_GOAL_RATIO,
    goalMet: ratio >= THROUGHPUT_GOAL_RATIO,
    problems: targets.flatMap((report) => problemsOf(report, options.connections, options.warmupSeconds > 0)),
    ...(cpuProfile && { cpuProfile }),
  };
}
