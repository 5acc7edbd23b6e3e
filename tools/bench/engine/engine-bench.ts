/**
 * `npm run bench:engine`: the custom-CRM engine's find-or-create account step (CS2.3: find by query with
 * CONCAT_OR of phone and e-mail, create when not found) against the reference CRM simulator, side by side
 * with a bare undici client sending the same request to the same simulator in the same run. Both run in
 * this process; the simulator in its own. The two are measured in turn over interleaved rounds; prints calls/s,
 * p50/p99 and the per-round ratio engine/bare as median, min and max (goal ≥ 0.7 for the median).
 * Flags: --duration <s> (15, per target over all rounds) --rounds <n> (5) --warmup <s> (3) --connections <n> (50) --json.
 */
import { OutboundHttpClient } from '@switchboard/outbound-http';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { Agent, request } from 'undici';
import type { CrmConnection } from '../../../apps/crm-sync/src/crm-engine/crm-connection';
import { compileEndpoint } from '../../../apps/crm-sync/src/crm-engine/crm-endpoint';
import { CrmEngineService } from '../../../apps/crm-sync/src/crm-engine/crm-engine.service';
import type { CustomCrmSettingsService } from '../../../apps/crm-sync/src/crm-engine/crm-settings.service';
import { benchArgsOrExitCode } from '../bench-options';
import { type LoopResult, runInterleavedLoops } from '../datadip/closed-loop';
import { ratioSpreadText, type Spread, spread } from '../spread';
import { spawnTsChild, stopChild } from '../ts-child-process';

const GOAL_RATIO = 0.7;
const SIMULATOR_HOST = '127.0.0.2';
const USAGE = 'usage: npm run bench:engine -- [--duration <s>] [--rounds <n>] [--warmup <s>] [--connections <n>] [--json]';
const DEFAULT_ROUNDS = 5;
const AUTHORIZATION = `Basic ${Buffer.from('bench:bench-password').toString('base64')}`;
const SESSION = { PHONE_NUMBER: '+12125550123', EMAIL: 'bench@example.com', NAME: 'Bench Caller' };

const workspaceRoot = resolve(__dirname, '../../..');
const log = (line: string) => process.stderr.write(`[bench:engine] ${line}\n`);

/** The find-or-create account step through the engine: templates rendered, SSRF-guarded client, answer located. */
function engineFindOrCreate(simulatorUrl: string, http: OutboundHttpClient): () => Promise<void> {
  const api = `${simulatorUrl}/api`;
  const connection: CrmConnection = {
    tenantId: 'bench',
    phoneFormat: 'e164',
    timeoutMs: 5_000,
    reuseExistingRecords: true,
    authHeaders: { authorization: AUTHORIZATION },
    endpoints: {
      findAccountByQuery: compileEndpoint('findAccountByQuery', { url: `${api}/accounts`, method: 'GET', parameters: { criteria: '=CONCAT_OR((Phone:equals:{PHONE_NUMBER}), (Email:equals:{EMAIL}))' }, responseDataLocation: 'data' }),
      createAccount: compileEndpoint('createAccount', { url: `${api}/accounts`, method: 'POST', parameters: { name: '{NAME}', Phone: '{PHONE_NUMBER}' }, responseDataLocation: 'data' }),
    },
  };
  // callWith takes the connection itself: the settings service (the database) is not on this path.
  const engine = new CrmEngineService(undefined as unknown as CustomCrmSettingsService, http);
  return async () => {
    let found = await engine.callWith(connection, 'findAccountByQuery', SESSION);
    if (found.outcome === 'not_found') found = await engine.callWith(connection, 'createAccount', SESSION);
    if (found.outcome !== 'ok' || !found.id) throw new Error(`the engine answered ${found.outcome}${'error' in found ? `: ${found.error}` : ''}`);
  };
}

/** The same request from undici, nothing around it. */
function bareFindOrCreate(simulatorUrl: string, dispatcher: Agent): () => Promise<void> {
  const criteria = `(Phone:equals:${SESSION.PHONE_NUMBER}) or (Email:equals:${SESSION.EMAIL})`;
  const url = `${simulatorUrl}/api/accounts?criteria=${encodeURIComponent(criteria)}`;
  const headers = { accept: 'application/json', authorization: AUTHORIZATION };
  return async () => {
    const answer = await request(url, { dispatcher, headers });
    if (answer.statusCode !== 200) throw new Error(`the simulator answered ${answer.statusCode}`);
    const body = (await answer.body.json()) as { data?: Array<{ id?: string }> };
    if (!body.data?.[0]?.id) throw new Error('the bare client found no account');
  };
}

async function main(): Promise<number> {
  const options = benchArgsOrExitCode(process.argv.slice(2), 'bench:engine', USAGE, { rounds: DEFAULT_ROUNDS });
  if (typeof options === 'number') return options;
  const loop = { connections: options.connections, warmupSeconds: options.warmupSeconds, durationSeconds: options.durationSeconds, rounds: options.rounds ?? DEFAULT_ROUNDS };
  const simulatorProcess = spawnTsChild({ workspaceRoot, entry: 'tools/bench/engine/crm-simulator-process.ts', env: { SIMULATOR_HOST }, stdio: ['pipe', 'pipe', 'inherit'] });
  const http = new OutboundHttpClient({ allow: [`${SIMULATOR_HOST}/32`] });
  const dispatcher = new Agent({ connections: options.connections });
  try {
    const output = simulatorProcess.stdout;
    if (!output) throw new Error('the simulator process has no stdout');
    const first = await createInterface({ input: output })[Symbol.asyncIterator]().next();
    const { url } = JSON.parse(String(first.value)) as { url: string };
    log(`CRM simulator at ${url}`);
    const bareOperation = bareFindOrCreate(url, dispatcher);
    const engineOperation = engineFindOrCreate(url, http);
    await bareOperation();
    await engineOperation();
    log(`bare undici, engine in turn: ${loop.warmupSeconds} s warm-up each, then ${loop.rounds} rounds, ${loop.durationSeconds} s measured per target in all, ${loop.connections} connections`);
    const measured = await runInterleavedLoops([bareOperation, engineOperation], loop);
    const [bare, engine] = measured.results as [LoopResult, LoopResult];
    const ratio = spread(measured.rates.map(([bareRate = 0, engineRate = 0]) => engineRate / bareRate));
    const report: EngineReport = { settings: { ...loop, simulator: url }, bare, engine, ratio, goalRatio: GOAL_RATIO, goalMet: ratio.median >= GOAL_RATIO };
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
    return bare.failures + engine.failures > 0 ? 1 : 0;
  } finally {
    await dispatcher.close();
    await http.close();
    await stopChild(simulatorProcess);
  }
}

interface EngineReport {
  settings: { connections: number; durationSeconds: number; warmupSeconds: number; rounds: number; simulator: string };
  bare: LoopResult;
  engine: LoopResult;
  /** engine / bare per round; the goal is judged on the median. */
  ratio: Spread;
  goalRatio: number;
  goalMet: boolean;
}

function formatReport(report: EngineReport): string {
  const row = (name: string, result: LoopResult) =>
    `  ${name.padEnd(26)} ${result.answersPerSecond.toFixed(0).padStart(8)} ${result.p50Ms.toFixed(1).padStart(8)} ${result.p99Ms.toFixed(1).padStart(8)} ${String(result.failures).padStart(8)}`;
  return [
    `CRM engine find-or-create (CS2.3): ${report.settings.connections} connections, ${report.settings.rounds} interleaved rounds, ${report.settings.durationSeconds} s measured per target after ${report.settings.warmupSeconds} s warm-up; simulator ${report.settings.simulator}`,
    `  ${'target'.padEnd(26)} ${'calls/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'failed'.padStart(8)}`,
    row('bare undici', report.bare),
    row('CRM engine (SSRF-guarded)', report.engine),
    `  ratio engine / bare per round: ${ratioSpreadText(report.ratio, 2)} (goal ≥ ${report.goalRatio} for the median: ${report.goalMet ? 'met' : 'NOT met'})`,
    ...[...report.bare.failureSamples.map((text) => `  bare failure: ${text}`), ...report.engine.failureSamples.map((text) => `  engine failure: ${text}`)],
  ].join('\n');
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    log(`failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
