// The framework-free entry: the library index loads NestJS, whose decorators tsx cannot compile.
import { mintDevToken } from '@switchboard/auth/dev-tokens';
import { deployMigrations } from '@switchboard/persistence/migrate';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtEntryPoint, startService, waitUntilReady } from '../stack/service-process';
import { buildServices } from '../start/build-services';
import { startBaseline } from './baseline-process';
import {
  BASELINE_DELIVERY_TABLE,
  checkpoint,
  countRows,
  createBaselineTable,
  createBenchDatabase,
  SERVICE_DELIVERY_TABLE,
} from './bench-database';
import { benchKafka, benchServiceEnv } from './bench-service';
import { BenchEnvironment, CleanupStack, withCleanup } from './cleanup-stack';
import { backendPids, CpuSnapshot, takeSnapshot, usageBetween } from './cpu-usage';
import { createDeliveryBodyTemplate, benchConfiguration, CREATE_DELIVERY_PATH, withRequestId } from './create-request';
import { ServiceProfiler } from './service-profiler';
import { BenchReport, problemsOf, targetReport, TargetName, TargetReport, THROUGHPUT_GOAL_RATIO, throughputRatio } from './report';
import { runLoad } from './run-load';

const SERVICE = 'proactive-delivery';
/** The service's Prisma pool (createPgAdapter's default); the baseline gets the same. */
export const POOL_SIZE = 10;

export interface BenchOptions extends BenchEnvironment {
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
}

/** Runs the whole benchmark and always cleans up (processes, temp files, the database) before returning. */
export function runBench(options: BenchOptions): Promise<BenchReport> {
  return withCleanup(options.cleanup, options.log, (cleanup) => benchWith(options, cleanup));
}

async function ensureBuilt({ workspaceRoot, build, log }: BenchOptions): Promise<void> {
  const built = existsSync(builtEntryPoint(workspaceRoot, SERVICE));
  if (build === 'never' || (build === 'if-missing' && built)) return;
  log(`building ${SERVICE} (nx build)`);
  await buildServices({ workspaceRoot, projects: [SERVICE] });
}

async function postJson(url: string, token: string, body: unknown): Promise<{ status: number; body: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.text() };
}

/** One request before the load: a refusal (401, 422 …) is reported with its body instead of a run of errors. */
async function probeCreate(target: TargetName, baseUrl: string, token: string, body: string): Promise<void> {
  const answer = await postJson(`${baseUrl}${CREATE_DELIVERY_PATH}`, token, body);
  if (answer.status !== 200 || !answer.body.includes('"DeliveryId"')) {
    throw new Error(`${target} refused the benchmark's create request (${answer.status}): ${answer.body.slice(0, 2_000)}`);
  }
}

async function benchWith(options: BenchOptions, cleanup: CleanupStack): Promise<BenchReport> {
  const { workspaceRoot, log, connections } = options;
  await ensureBuilt(options);

  const database = await createBenchDatabase(options.postgresUrl);
  cleanup.add(`drop database ${database.name}`, database.drop);
  log(`database ${database.name}: deploying ${SERVICE} migrations`);
  await deployMigrations({ service: SERVICE, databaseUrl: database.url, workspaceRoot });
  await createBaselineTable(database.url);

  const kafka = await benchKafka(options.kafkaBrokers, cleanup, log);

  const keysDir = await mkdtemp(join(tmpdir(), 'sb-bench-keys-'));
  cleanup.add('remove the dev key folder', () => rm(keysDir, { recursive: true, force: true }));

  const profiler = options.cpuProfileDir ? new ServiceProfiler(options.cpuProfileDir, workspaceRoot) : undefined;
  log(`starting ${SERVICE}`);
  const service = await startService(SERVICE, {
    workspaceRoot,
    env: {
      ...benchServiceEnv(SERVICE, { databaseUrl: database.url, kafka, keysDir }),
      VOICE_SIMULATOR_ENABLED: 'true',
      SHUTDOWN_GRACE_MS: '3000',
      ...profiler?.serviceEnv(),
    },
  });
  cleanup.add(`stop ${SERVICE}`, () => service.stop(10_000));
  await waitUntilReady(service);

  const tenantId = randomUUID();
  const [adminToken, callerToken] = await Promise.all([
    mintDevToken({ tenantId, roles: ['Administrator'], keysDir }),
    mintDevToken({ tenantId, roles: ['OmnichannelSupervisor'], keysDir }),
  ]);
  const created = await postJson(`${service.url}/proactive/configurations`, adminToken, benchConfiguration());
  if (created.status !== 201 && created.status !== 200) {
    throw new Error(`${SERVICE} refused the benchmark's configuration (${created.status}): ${created.body.slice(0, 2_000)}`);
  }
  const configurationId = (JSON.parse(created.body) as { id: string }).id;
  const body = createDeliveryBodyTemplate(configurationId);

  const baseline = await startBaseline({ workspaceRoot, databaseUrl: database.url, table: BASELINE_DELIVERY_TABLE, tenantId, poolSize: POOL_SIZE });
  cleanup.add('stop the baseline server', baseline.stop);
  await probeCreate('baseline', baseline.url, callerToken, withRequestId(body, 'probe'));
  await probeCreate('service', service.url, callerToken, withRequestId(body, 'probe'));

  const targets: TargetReport[] = [];
  const plan: { target: TargetName; url: string; table: string }[] = [
    // The baseline first: the service's outbox relay may still be publishing its backlog after its run.
    { target: 'baseline', url: baseline.url, table: BASELINE_DELIVERY_TABLE },
    { target: 'service', url: service.url, table: SERVICE_DELIVERY_TABLE },
  ];
  let cpuProfile: BenchReport['cpuProfile'];
  for (const { target, url, table } of plan) {
    await checkpoint(database.url);
    const before = await countRows(database.url, table, []);
    const profiled = target === 'service' ? profiler : undefined;
    log(`${target}: ${options.warmupSeconds} s warm-up, then ${options.durationSeconds} s measured, ${connections} connections`);
    const targetPid = (target === 'service' ? service.process : baseline.process).pid;
    let loadGeneratorPid: number | undefined;
    let postgresPids: number[] = [];
    let cpuBefore: Promise<CpuSnapshot> | undefined;
    let cpuAfter: CpuSnapshot | undefined;
    const load = await runLoad({
      workspaceRoot,
      config: {
        url: `${url}${CREATE_DELIVERY_PATH}`,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${callerToken}` },
        body,
        connections,
        durationSeconds: options.durationSeconds,
        warmupSeconds: options.warmupSeconds,
      },
      onMeasuring: () => {
        profiled?.start(service.process);
        cpuBefore = backendPids(database.url, database.name, target).then((pids) => {
          postgresPids = pids;
          return takeSnapshot(targetPid, loadGeneratorPid, pids);
        });
      },
      onFinished: () => (cpuAfter = takeSnapshot(targetPid, loadGeneratorPid, postgresPids)),
      onSpawn: (child) => {
        loadGeneratorPid = child.pid;
        cleanup.add(`stop the ${target} load`, async () => void child.kill('SIGKILL'));
      },
    });
    const cpu = cpuBefore && cpuAfter ? usageBetween(await cpuBefore, cpuAfter, load.measured.ok2xx) : { perRequestMs: {} };
    if (profiled) cpuProfile = await profiled.stopAndSummarize(service.process);
    const after = await countRows(database.url, table, load.deliveryIds);
    targets.push(targetReport(target, url, load, { total: after.total - before.total, matching: after.matching }, cpu));
  }

  const [baselineReport, serviceReport] = targets;
  const ratio = throughputRatio(baselineReport, serviceReport);
  return {
    settings: {
      database: database.name,
      connections,
      durationSeconds: options.durationSeconds,
      warmupSeconds: options.warmupSeconds,
      poolSize: POOL_SIZE,
      body: 'a valid request (+12125550123, one window tomorrow) whose InputAttributes.benchRequestId differs per request, so every request inserts',
      dispatcher: 'idle: the windows open tomorrow, so nothing is due during the run (it still polls every DISPATCH_POLL_MS)',
    },
    targets,
    throughputRatio: ratio,
    goalRatio: THROUGHPUT_GOAL_RATIO,
    goalMet: ratio >= THROUGHPUT_GOAL_RATIO,
    problems: targets.flatMap((report) => problemsOf(report, connections, options.warmupSeconds > 0)),
    ...(cpuProfile && { cpuProfile }),
  };
}
