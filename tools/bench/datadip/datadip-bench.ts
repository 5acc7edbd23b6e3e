/**
 * `npm run bench:datadip`: crm-sync's IVR data dip (POST /crm/dynamics/data-dip) under load against the
 * Dataverse + Entra simulator, side by side with a bare undici client making the same two Dataverse
 * queries to the same simulator. Prints answers/s, p50/p99 and the ratio service/bare (goal ≥ 0.7).
 * Flags: --duration <s> (15) --warmup <s> (3) --connections <n> (50) --json --no-build --cpu-prof <dir>.
 */
import { mintDevToken } from '@switchboard/auth/dev-tokens';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Agent } from 'undici';
import { startService, waitUntilReady } from '../../stack/service-process';
import { benchArgsOrExitCode } from '../bench-options';
import { DEFAULT_POSTGRES_SERVER } from '../bench-database';
import { benchServiceEnv, exitWhenDone, prepareServiceBench, startSimulatorProcess } from '../bench-service';
import { benchEnvironmentFromProcess, withCleanup } from '../cleanup-stack';
import { formatProfileSummary, type ProfileSummary } from '../cpu-profile-summary';
import { ServiceProfiler } from '../service-profiler';
import { type LoopResult, runInterleavedLoops } from './closed-loop';
import { ratioSpreadText, type Spread, spread } from '../spread';
import { bareDataDip, serviceDataDip, type SimulatorInfo, simulatorToken } from './datadip-operations';

const SERVICE = 'crm-sync';
const GOAL_RATIO = 0.7;
/** Not 127.0.0.1: crm-sync's allow-list names only the simulator's address (Linux routes all of 127/8 to loopback). */
const SIMULATOR_HOST = '127.0.0.2';
const USAGE = 'usage: npm run bench:datadip -- [--duration <s>] [--rounds <n>] [--warmup <s>] [--connections <n>] [--json] [--no-build] [--cpu-prof <dir>]';
const DEFAULT_ROUNDS = 5;

const workspaceRoot = resolve(__dirname, '../../..');
const log = (line: string) => process.stderr.write(`[bench:datadip] ${line}\n`);

interface DataDipReport {
  settings: { connections: number; durationSeconds: number; warmupSeconds: number; rounds: number; simulator: string };
  bare: LoopResult;
  /** The bare proxy: the most any service between client and simulator reaches here. */
  bareProxy: LoopResult;
  service: LoopResult;
  /** service / bare per round; the goal is judged on the median. */
  ratio: Spread;
  /** bareProxy / bare per round: the ceiling of `ratio` on this machine. */
  ceilingRatio: Spread;
  /** service / bareProxy per round: how much of that ceiling crm-sync reaches. */
  ofCeiling: Spread;
  goalRatio: number;
  goalMet: boolean;
  /** With --cpu-prof: crm-sync's hottest areas and functions during its first measured round. */
  cpuProfile?: string;
}

async function main(): Promise<number> {
  const options = benchArgsOrExitCode(process.argv.slice(2), 'bench:datadip', USAGE, { rounds: DEFAULT_ROUNDS });
  if (typeof options === 'number') return options;
  const environment = benchEnvironmentFromProcess(workspaceRoot, DEFAULT_POSTGRES_SERVER, log);
  const loop = { connections: options.connections, warmupSeconds: options.warmupSeconds, durationSeconds: options.durationSeconds, rounds: options.rounds ?? DEFAULT_ROUNDS };
  const report = await withCleanup(environment.cleanup, log, async (cleanup): Promise<DataDipReport> => {
    const { database, kafka, keysDir } = await prepareServiceBench({ service: SERVICE, build: options.build, workspaceRoot, postgresUrl: environment.postgresUrl, kafkaBrokers: environment.kafkaBrokers, cleanup, log });
    const profiler = options.cpuProfileDir ? new ServiceProfiler(options.cpuProfileDir, workspaceRoot) : undefined;
    const simulator = await startSimulatorProcess<SimulatorInfo>({ workspaceRoot, entry: 'tools/bench/datadip/simulator-process.ts', env: { SIMULATOR_HOST }, what: 'Dataverse simulator', cleanup });
    log(`Dataverse simulator at ${simulator.url}; starting ${SERVICE}`);

    const service = await startService(SERVICE, {
      workspaceRoot,
      sourceMaps: false,
      env: {
        ...benchServiceEnv(SERVICE, { databaseUrl: database.url, kafka, keysDir }),
        OUTBOUND_HTTP_ALLOW: `${new URL(simulator.url).hostname}/32`,
        ...profiler?.serviceEnv(),
      },
    });
    cleanup.add(`stop ${SERVICE}`, () => service.stop(10_000));
    await waitUntilReady(service);

    const tenantId = randomUUID();
    const [adminToken, ivrToken] = await Promise.all([mintDevToken({ tenantId, roles: ['Administrator'], keysDir }), mintDevToken({ tenantId, roles: ['OmnichannelAgent'], keysDir })]);
    const saved = await fetch(`${service.url}/crm/dynamics/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ organizationUrl: simulator.url, authorityUrl: simulator.url, entraTenantId: simulator.entraTenantId, clientId: simulator.clientId, clientSecret: 'simulated-client-secret' }),
    });
    if (saved.status !== 200) throw new Error(`${SERVICE} refused the Dynamics settings (${saved.status}): ${await saved.text()}`);

    const proxy = await startSimulatorProcess<{ url: string }>({ workspaceRoot, entry: 'tools/bench/datadip/bare-proxy-process.ts', env: { DATADIP_SIMULATOR: JSON.stringify(simulator) }, what: 'bare proxy', cleanup });

    const dispatcher = new Agent({ connections: options.connections });
    cleanup.add('close the load client', () => dispatcher.close());
    const bareOperation = bareDataDip(simulator, await simulatorToken(simulator, dispatcher), dispatcher);
    const serviceOperation = serviceDataDip(service.url, ivrToken, dispatcher);
    const proxyOperation = serviceDataDip(proxy.url, ivrToken, dispatcher);
    // One of each first: a refusal is reported with its reason instead of a run of failures.
    await bareOperation();
    await proxyOperation();
    await serviceOperation();

    log(`bare undici client, bare proxy, ${SERVICE} in turn: ${loop.warmupSeconds} s warm-up each, then ${loop.rounds} rounds, ${loop.durationSeconds} s measured per target in all, ${loop.connections} connections`);
    const SERVICE_TARGET = 2;
    let profiled: Promise<{ file: string; summary: ProfileSummary }> | undefined;
    const measured = await runInterleavedLoops([bareOperation, proxyOperation, serviceOperation], {
      ...loop,
      onRound: (target, round, phase) => {
        if (!profiler || target !== SERVICE_TARGET || round !== 0) return;
        if (phase === 'start') profiler.start(service.process);
        else profiled = profiler.stopAndSummarize(service.process);
      },
    });
    const cpuProfile = await profiled;
    const [bare, bareProxy, serviceResult] = measured.results as [LoopResult, LoopResult, LoopResult];
    const perRound = (of: (rates: number[]) => number) => spread(measured.rates.map(of));
    const ratio = perRound(([bareRate = 0, , serviceRate = 0]) => serviceRate / bareRate);
    return {
      settings: { ...loop, simulator: simulator.url },
      bare,
      bareProxy,
      service: serviceResult,
      ratio,
      ceilingRatio: perRound(([bareRate = 0, proxyRate = 0]) => proxyRate / bareRate),
      ofCeiling: perRound(([, proxyRate = 0, serviceRate = 0]) => serviceRate / proxyRate),
      goalRatio: GOAL_RATIO,
      goalMet: ratio.median >= GOAL_RATIO,
      ...(cpuProfile && { cpuProfile: formatProfileSummary(cpuProfile.summary, cpuProfile.file) }),
    };
  });
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
  return report.bare.failures + report.bareProxy.failures + report.service.failures > 0 ? 1 : 0;
}

function formatReport(report: DataDipReport): string {
  const row = (name: string, result: LoopResult) =>
    `  ${name.padEnd(22)} ${result.answersPerSecond.toFixed(0).padStart(8)} ${result.p50Ms.toFixed(1).padStart(8)} ${result.p99Ms.toFixed(1).padStart(8)} ${String(result.failures).padStart(8)}`;
  const failures = [
    ...report.bare.failureSamples.map((text) => `bare: ${text}`),
    ...report.bareProxy.failureSamples.map((text) => `bare proxy: ${text}`),
    ...report.service.failureSamples.map((text) => `crm-sync: ${text}`),
  ];
  return [
    `Data dip (CS7): ${report.settings.connections} connections, ${report.settings.rounds} interleaved rounds, ${report.settings.durationSeconds} s measured per target after ${report.settings.warmupSeconds} s warm-up; simulator ${report.settings.simulator}`,
    `  ${'target'.padEnd(22)} ${'dips/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'failed'.padStart(8)}`,
    row('bare undici (2 calls)', report.bare),
    row('bare proxy (ceiling)', report.bareProxy),
    row('crm-sync data dip', report.service),
    `  ratio crm-sync / bare per round: ${ratioSpreadText(report.ratio, 2)} (goal ≥ ${report.goalRatio} for the median: ${report.goalMet ? 'met' : 'NOT met'})`,
    `  ceiling here, bare proxy / bare per round: ${ratioSpreadText(report.ceilingRatio, 2)}; crm-sync / bare proxy: ${ratioSpreadText(report.ofCeiling, 2)}`,
    ...(failures.length ? ['  failures, first ones:', ...failures.map((text) => `    ${text}`)] : []),
    ...(report.cpuProfile ? ['', report.cpuProfile] : []),
  ].join('\n');
}

exitWhenDone(main, log);
