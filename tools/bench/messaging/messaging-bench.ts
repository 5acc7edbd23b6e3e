/**
 * `npm run bench:messaging`: outbound-messaging end to end — invoke API (100 contacts per request) →
 * durable queue → sender → the Twilio simulator — side by side with a bare loop posting the same number of
 * messages straight to the same simulator. Prints messages/s sent for both and the ratio service/bare; and
 * contacts/s accepted by the invoke API against a bare node:http + pg server doing one batched insert per request
 * (invoke-baseline-server.ts), run first on the same load, and that ratio (issue 11).
 * Messages: 1,000 per --duration second (default 15 → 15,000); --connections concurrent requests (50).
 * --replicas <n> (default 1): processes of the service, sharing the database and the Kafka consumer group; the
 * invoke requests go to them in turn, as behind a load balancer (on this 2-core machine two replicas measured no
 * faster than one: the database, the simulator and the load generator take the other core).
 * Flags: --duration <s> --connections <n> --replicas <n> --json --no-build --cpu-prof <dir> (a profile of the first
 * replica, its hottest functions printed) --cpu-prof-phase accepting|sending (what the profile covers: while the
 * contacts are accepted, what contacts/s measures, the default; or from then until every message is sent);
 * --warmup <s> (default 3): 1,000 messages per second given go through each side first, unmeasured, to other numbers
 * (the service's cache of judged numbers starts no warmer for the measured run); 0 measures from a cold start.
 */
import { mintDevToken } from '@switchboard/auth/dev-tokens';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { startService, waitUntilReady } from '../../stack/service-process';
import { startBaseline } from '../baseline-process';
import { benchArgsOrExitCode, benchUsage } from '../bench-options';
import { createBaselineTable, DEFAULT_POSTGRES_SERVER } from '../bench-database';
import { benchServiceEnv, exitWhenDone, prepareServiceBench, startSimulatorProcess } from '../bench-service';
import { benchEnvironmentFromProcess, type CleanupStack, withCleanup } from '../cleanup-stack';
import { processCpuMs } from '../cpu-usage';
import { formatProfileSummary, type ProfileSummary } from '../cpu-profile-summary';
import { ServiceProfiler } from '../service-profiler';

const SERVICE = 'outbound-messaging';
const SIMULATOR_HOST = '127.0.0.2';
const SENDER = '+14155552671';
const PER_REQUEST = 100;
const POOL_SIZE = 10;
const BASELINE_TABLE = 'bench_baseline.outbound_message';
const DEFAULT_REPLICAS = 1;
const PROFILE_PHASES = ['accepting', 'sending'] as const;
/** The measured run's numbers, and the warm-up's: other numbers, so the measured contacts are judged afresh. */
const MEASURED_NUMBERS = '+1650253';
const WARMUP_NUMBERS = '+1650254';
const USAGE = `${benchUsage({ command: 'bench:messaging', service: SERVICE, what: 'Invoke API → sender → Twilio simulator, messages/s against a bare loop posting to the same simulator.' })}
  --replicas <n>     processes of ${SERVICE} (default ${DEFAULT_REPLICAS}); invoke requests go to them in turn
  --cpu-prof-phase accepting|sending
                     what --cpu-prof covers: accepting the contacts (default), or from then until all are sent`;

const workspaceRoot = resolve(__dirname, '../../..');
const log = (line: string) => process.stderr.write(`[bench:messaging] ${line}\n`);

interface Simulator {
  url: string;
  accountSid: string;
  authToken: string;
  pid: number;
}

interface MessagingReport {
  messages: number;
  /** Sent through each side first, unmeasured (--warmup). */
  warmupMessages: number;
  connections: number;
  replicas: number;
  bare: { seconds: number; messagesPerSecond: number; simulatorCpuMsPerMessage?: number };
  baselineAccepting: { seconds: number; contactsPerSecond: number };
  service: { acceptSeconds: number; contactsAcceptedPerSecond: number; seconds: number; messagesPerSecond: number; serviceCpuMsPerMessage?: number; simulatorCpuMsPerMessage?: number };
  ratio: number;
  acceptingRatio: number;
  cpuProfile?: { phase: string; file: string; summary: ProfileSummary };
}

async function main(): Promise<number> {
  const options = benchArgsOrExitCode(process.argv.slice(2), 'bench:messaging', USAGE, { replicas: DEFAULT_REPLICAS, cpuProfilePhases: PROFILE_PHASES });
  if (typeof options === 'number') return options;
  const replicas = options.replicas ?? DEFAULT_REPLICAS;
  const messages = Math.max(PER_REQUEST, Math.round(options.durationSeconds * 1_000 / PER_REQUEST) * PER_REQUEST);
  const warmupMessages = Math.round(options.warmupSeconds * 1_000 / PER_REQUEST) * PER_REQUEST;
  const environment = benchEnvironmentFromProcess(workspaceRoot, DEFAULT_POSTGRES_SERVER, log);
  const report = await withCleanup(environment.cleanup, log, async (cleanup): Promise<MessagingReport> => {
    const { database, kafka, keysDir } = await prepareServiceBench({ service: SERVICE, build: options.build, workspaceRoot, postgresUrl: environment.postgresUrl, kafkaBrokers: environment.kafkaBrokers, cleanup, log });
    const simulator = await startSimulatorProcess<Simulator>({ workspaceRoot, entry: 'tools/bench/messaging/twilio-simulator-process.ts', env: { SIMULATOR_HOST }, what: 'Twilio simulator', cleanup });

    if (warmupMessages > 0) {
      log(`bare loop warm-up: ${warmupMessages} messages`);
      await bareLoop(simulator, warmupMessages, options.connections);
    }
    log(`bare loop: ${messages} messages to ${simulator.url}, ${options.connections} at a time`);
    const bareCpu = cpuOver(simulator.pid);
    const bareSeconds = await timed(() => bareLoop(simulator, messages, options.connections));
    const bareSimulatorCpuMs = bareCpu();

    const baselineSeconds = await acceptOnBaseline(database.url, { messages, warmupMessages }, options.connections, cleanup);

    log(`Twilio simulator at ${simulator.url}; starting ${replicas} × ${SERVICE}`);
    const profiler = options.cpuProfileDir ? new ServiceProfiler(options.cpuProfileDir, workspaceRoot) : undefined;
    // One environment for all replicas: the same database, consumer group and secrets key.
    const env = {
      ...benchServiceEnv(SERVICE, { databaseUrl: database.url, kafka, keysDir }),
      OUTBOUND_HTTP_ALLOW: `${SIMULATOR_HOST}/32`,
      MESSAGING_SIMULATOR_URL: simulator.url,
      MESSAGING_SIMULATOR_ACCOUNT_SID: simulator.accountSid,
      MESSAGING_SIMULATOR_AUTH_TOKEN: simulator.authToken,
      MESSAGING_QUIET_HOURS: 'off',
      INVOKE_REQUESTS_PER_HOUR: '100000000',
      SEND_POLL_MS: '20',
    };
    const services = await Promise.all(
      Array.from({ length: replicas }, async (_, index) => {
        const service = await startService(SERVICE, { workspaceRoot, sourceMaps: false, env: { ...(index === 0 ? profiler?.serviceEnv() : {}), ...env } });
        cleanup.add(`stop ${SERVICE} ${index + 1}`, () => service.stop(10_000));
        await waitUntilReady(service);
        return service;
      }),
    );
    const [first] = services;
    if (!first) throw new Error('no replica started');
    const token = await mintDevToken({ tenantId: randomUUID(), roles: ['Administrator'], keysDir });
    const configurationId = await setUp(first.url, token);

    const pg = new Client({ connectionString: database.url.replace(/\?.*$/, '') });
    await pg.connect();
    cleanup.add('close the counting connection', () => pg.end());
    const urls = services.map((service) => service.url);
    if (warmupMessages > 0) {
      log(`warm-up: ${warmupMessages} contacts, waiting until they are sent`);
      await invokeAll(urls, token, configurationId, warmupMessages, options.connections, WARMUP_NUMBERS);
      await untilSent(pg, warmupMessages);
    }
    const phase = options.cpuProfilePhase ?? 'accepting';
    if (profiler && phase === 'accepting') profiler.start(first.process);
    const [serviceCpus, simulatorCpu] = [services.map((service) => cpuOver(service.process.pid)), cpuOver(simulator.pid)];
    const started = performance.now();
    const acceptSeconds = await timed(() => invokeAll(urls, token, configurationId, messages, options.connections, MEASURED_NUMBERS));
    // By default the profile covers the accepting phase, the figure the invoke API is judged by (issue 11).
    let cpuProfile = profiler && phase === 'accepting' ? { phase, ...(await profiler.stopAndSummarize(first.process)) } : undefined;
    if (profiler && phase === 'sending') profiler.start(first.process);
    log(`${messages} contacts accepted in ${acceptSeconds.toFixed(2)} s; waiting until every message is sent`);
    await untilSent(pg, warmupMessages + messages);
    const serviceSeconds = (performance.now() - started) / 1_000;
    if (profiler && phase === 'sending') cpuProfile = { phase, ...(await profiler.stopAndSummarize(first.process)) };
    const [serviceCpuMs, simulatorCpuMs] = [sumOrUndefined(serviceCpus.map((cpu) => cpu())), simulatorCpu()];
    const perMessage = (ms: number | undefined) => (ms === undefined ? undefined : Math.round((ms / messages) * 1_000) / 1_000);
    return {
      ...(cpuProfile && { cpuProfile }),
      messages,
      warmupMessages,
      connections: options.connections,
      replicas,
      bare: { seconds: bareSeconds, messagesPerSecond: messages / bareSeconds, simulatorCpuMsPerMessage: perMessage(bareSimulatorCpuMs) },
      baselineAccepting: { seconds: baselineSeconds, contactsPerSecond: messages / baselineSeconds },
      service: {
        acceptSeconds,
        contactsAcceptedPerSecond: messages / acceptSeconds,
        seconds: serviceSeconds,
        messagesPerSecond: messages / serviceSeconds,
        serviceCpuMsPerMessage: perMessage(serviceCpuMs),
        simulatorCpuMsPerMessage: perMessage(simulatorCpuMs),
      },
      ratio: bareSeconds / serviceSeconds,
      acceptingRatio: baselineSeconds / acceptSeconds,
    };
  });
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
  if (report.cpuProfile && !options.json) process.stdout.write(`\nPhase profiled: ${report.cpuProfile.phase}\n${formatProfileSummary(report.cpuProfile.summary, report.cpuProfile.file)}\n`);
  return 0;
}

/** Resolves once `total` messages are sent; a failed message ends the benchmark. */
async function untilSent(pg: Client, total: number): Promise<void> {
  for (;;) {
    const { rows } = await pg.query<{ sent: string; failed: string }>(`SELECT count(*) FILTER (WHERE status = 'sent') AS sent, count(*) FILTER (WHERE status = 'failed') AS failed FROM outbound_messaging.outbound_message`);
    if (Number(rows[0]?.failed) > 0) throw new Error(`${rows[0]?.failed} messages failed`);
    if (Number(rows[0]?.sent) >= total) return;
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** The same invoke requests against the bare baseline (its own process, stopped before the service starts), after the same warm-up. */
async function acceptOnBaseline(databaseUrl: string, { messages, warmupMessages }: { messages: number; warmupMessages: number }, connections: number, cleanup: CleanupStack): Promise<number> {
  await createBaselineTable(databaseUrl, 'outbound_messaging.outbound_message', BASELINE_TABLE);
  const baseline = await startBaseline({ workspaceRoot, entry: 'tools/bench/messaging/invoke-baseline-server.ts', databaseUrl, table: BASELINE_TABLE, tenantId: randomUUID(), poolSize: POOL_SIZE });
  cleanup.add('stop the invoke baseline', baseline.stop);
  const configurationId = randomUUID();
  if (warmupMessages > 0) await invokeAll([baseline.url], 'none', configurationId, warmupMessages, connections, WARMUP_NUMBERS);
  log(`invoke baseline (node:http + pg, one batched insert per request) at ${baseline.url}: ${messages} contacts`);
  const seconds = await timed(() => invokeAll([baseline.url], 'none', configurationId, messages, connections, MEASURED_NUMBERS));
  await baseline.stop();
  return seconds;
}

/** CPU time (ms) a process spends from now until the returned function is called; undefined off Linux. */
function cpuOver(pid: number | undefined): () => number | undefined {
  const start = processCpuMs(pid);
  return () => {
    const end = processCpuMs(pid);
    return start === undefined || end === undefined ? undefined : end - start;
  };
}

function sumOrUndefined(values: readonly (number | undefined)[]): number | undefined {
  return values.some((value) => value === undefined) ? undefined : values.reduce<number>((sum, value) => sum + (value ?? 0), 0);
}

async function timed(work: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1_000;
}

/** The same number of messages, posted straight to the simulator's Messages.json as Twilio's REST API takes them. */
async function bareLoop(simulator: Simulator, messages: number, connections: number): Promise<void> {
  const url = `${simulator.url}/2010-04-01/Accounts/${simulator.accountSid}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${simulator.accountSid}:${simulator.authToken}`).toString('base64')}`;
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < messages) {
        const index = next++;
        const body = new URLSearchParams({ To: phone(MEASURED_NUMBERS, index), From: SENDER, Body: `Hi Dana Levi, your case CAS-${index} was created.` });
        const response = await fetch(url, { method: 'POST', headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' }, body });
        if (response.status !== 201) throw new Error(`the simulator answered ${response.status}: ${await response.text()}`);
        await response.arrayBuffer();
      }
    }),
  );
}

/** Each request worker keeps to one of `baseUrls`, in turn: the replicas share the load as behind a load balancer. */
async function invokeAll(baseUrls: readonly string[], token: string, configurationId: string, messages: number, connections: number, numbers: string): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(connections, messages / PER_REQUEST) }, async (_, worker) => {
      const baseUrl = baseUrls[worker % baseUrls.length] as string;
      while (next < messages) {
        const first = next;
        next += PER_REQUEST;
        const ContactList = Array.from({ length: PER_REQUEST }, (_, offset) => ({ tocontactid: phone(numbers, first + offset), channelid: 'sms', option: true, CustomerName: 'Dana Levi', CaseName: `CAS-${first + offset}` }));
        const answer = await call(baseUrl, token, 'POST', '/api/data/v9.2/msdyn_InvokeOutboundAPI', { msdyn_ocoutboundconfigurationid: configurationId, ContactList });
        if ((answer as { accepted?: number }).accepted !== PER_REQUEST) throw new Error(`not every contact was accepted: ${JSON.stringify(answer).slice(0, 500)}`);
      }
    }),
  );
}

/** A template, a simulator channel whose rate allows the load, and a configuration joining them. */
async function setUp(baseUrl: string, token: string): Promise<string> {
  const template = await call(baseUrl, token, 'POST', '/outbound/templates', { name: 'bench', channelType: 'sms', defaultLocale: 'en', versions: { en: { text: 'Hi {{CustomerName}}, your case {{CaseName}} was created.' } } });
  const channel = await call(baseUrl, token, 'POST', '/outbound/channels', { name: 'bench', channelType: 'sms', provider: 'simulator', sender: SENDER, messagesPerSecond: 10_000 });
  const configuration = await call(baseUrl, token, 'POST', '/outbound/configurations', { name: 'bench', showInTimeline: false, channelType: 'sms', channelId: channel['id'], templateId: template['id'] });
  return configuration['id'] as string;
}

async function call(baseUrl: string, token: string, method: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${baseUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Distinct valid US numbers after `prefix` (415 555 01xx–99xx are not all valid; 650 253 xxxx and 650 254 xxxx are). */
function phone(prefix: string, index: number): string {
  return `${prefix}${String(index % 10_000).padStart(4, '0')}`;
}

function formatReport(report: MessagingReport): string {
  return [
    `Outbound messaging: ${report.messages} messages, ${report.connections} concurrent requests (100 contacts each on the service side), ${report.replicas} ${report.replicas === 1 ? 'process' : 'processes'} of the service; each side warmed up with ${report.warmupMessages} messages first`,
    `  bare loop → simulator          ${report.bare.messagesPerSecond.toFixed(0).padStart(8)} messages/s (${report.bare.seconds.toFixed(2)} s)`,
    `  baseline, accepting            ${report.baselineAccepting.contactsPerSecond.toFixed(0).padStart(8)} contacts/s (${report.baselineAccepting.seconds.toFixed(2)} s; node:http + pg, one batched insert per request)`,
    `  invoke API, accepting          ${report.service.contactsAcceptedPerSecond.toFixed(0).padStart(8)} contacts/s (${report.service.acceptSeconds.toFixed(2)} s)`,
    `  ratio accepting service / baseline: ${report.acceptingRatio.toFixed(2)}`,
    `  invoke → sender → simulator    ${report.service.messagesPerSecond.toFixed(0).padStart(8)} messages/s (${report.service.seconds.toFixed(2)} s, all sent)`,
    `  ratio service / bare: ${report.ratio.toFixed(2)}`,
    `  CPU per message: service ${cpuText(report.service.serviceCpuMsPerMessage)} (accepting and sending, all replicas); simulator ${cpuText(report.service.simulatorCpuMsPerMessage)} (service run), ${cpuText(report.bare.simulatorCpuMsPerMessage)} (bare loop)`,
  ].join('\n');
}

function cpuText(ms: number | undefined): string {
  return ms === undefined ? 'n/a' : `${ms.toFixed(3)} ms`;
}

exitWhenDone(main, log);
