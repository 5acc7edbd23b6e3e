import { loadOrCreateDevKeys, mintDevToken } from '@switchboard/auth/dev-tokens';
import { createCloudEvent, CrmRecordPopEventTypes, Topics } from '@switchboard/contracts';
import { enqueueEvents } from '@switchboard/messaging/core';
import { pgTransactionRunner, SecretBox } from '@switchboard/persistence';
import { deployMigrations } from '@switchboard/persistence/migrate';
import { openSseStream, SseStream, startMockKafka } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { builtEntryPoint, RunningService, startService, waitUntilReady } from '../../stack/service-process';
import { buildServices } from '../../start/build-services';
import { createBenchDatabase } from '../bench-database';
import { BenchEnvironment, CleanupStack, withCleanup } from '../cleanup-stack';
import { cpuPerThousand, readCpu } from '../consumer/process-cpu';
import { ServiceProfiler } from '../service-profiler';
import { latencySummary, POPS_GOAL, PopsBenchReport } from './pops-report';

const SERVICE = 'event-bridge';
const TENANTS = ['44444444-4444-4444-8444-444444444444', '55555555-5555-4555-8555-555555555555'];
/** Every delivery has this long to arrive after the last pop was published before the run counts what is missing. */
const DRAIN_MS = 15_000;
const WARM_UP_MS = 90_000;
/** The index of the warm-up pops, which are not measured. */
const WARM_UP_POP = -1;

export interface PopsBenchOptions extends BenchEnvironment {
  clients: number;
  agents: number;
  pops: number;
  popsPerSecond: number;
  replicas: number;
}

interface BenchClient {
  tenantId: string;
  agentId: string;
  stream: SseStream;
  /** Arrival time (ms, performance clock) of each pop index received. */
  arrivals: Map<number, number>;
  duplicates: number;
}

/** Runs the pops benchmark and always cleans up (processes, the database, the key directory) before returning. */
export function runPopsBench(options: PopsBenchOptions): Promise<PopsBenchReport> {
  return withCleanup(options.cleanup, options.log, (cleanup) => benchWith(options, cleanup));
}

async function benchWith(options: PopsBenchOptions, cleanup: CleanupStack): Promise<PopsBenchReport> {
  const { workspaceRoot, log } = options;
  if (options.build === 'nx' || (options.build === 'if-missing' && !existsSync(builtEntryPoint(workspaceRoot, SERVICE)))) {
    log(`building ${SERVICE} (nx build)`);
    await buildServices({ workspaceRoot, projects: [SERVICE] });
  }
  const database = await createBenchDatabase(options.postgresUrl);
  cleanup.add(`drop database ${database.name}`, database.drop);
  log(`database ${database.name}: deploying migrations`);
  await deployMigrations({ service: SERVICE, databaseUrl: database.url, workspaceRoot });

  let brokers = options.kafkaBrokers;
  if (!brokers?.length) {
    const kafka = await startMockKafka();
    cleanup.add('stop the Kafka mock', kafka.stop);
    brokers = kafka.brokers;
  }
  const kafkaLabel = options.kafkaBrokers?.length ? brokers.join(',') : `librdkafka mock cluster (kcat) at ${brokers.join(',')}`;
  log(`Kafka: ${kafkaLabel}`);

  const keysDir = await mkdtemp(join(tmpdir(), 'sb-bench-pops-keys-'));
  cleanup.add('remove the development keys', () => rm(keysDir, { recursive: true, force: true }));
  const keys = await loadOrCreateDevKeys(keysDir);
  const profiler = options.cpuProfileDir ? new ServiceProfiler(options.cpuProfileDir, workspaceRoot) : undefined;
  const env = {
    DATABASE_URL: database.url,
    KAFKA_BROKERS: brokers.join(','),
    KAFKA_CONSUMER_GROUP: `bench-pops-${randomUUID().slice(0, 8)}`,
    AUTH_DEV_ISSUER_ENABLED: 'true',
    AUTH_DEV_KEYS_DIR: keysDir,
    SECRETS_ENCRYPTION_KEY: SecretBox.generateKey(),
    LOG_LEVEL: 'warn',
    SHUTDOWN_GRACE_MS: '3000',
    // One address opens every stream: the per-address budget is for real clients.
    RATE_LIMIT_PER_ADDRESS: 'off',
    RATE_LIMIT_PER_TENANT: 'off',
    AGENT_STREAM_MAX_PER_AGENT: '100',
    ...profiler?.serviceEnv(),
  };
  const replicas: RunningService[] = [];
  for (let index = 0; index < options.replicas; index++) {
    log(`starting ${SERVICE} replica ${index + 1}`);
    const replica = await startService(SERVICE, { workspaceRoot, sourceMaps: false, env });
    cleanup.add(`stop ${SERVICE} replica ${index + 1}`, () => replica.stop(10_000));
    await waitUntilReady(replica);
    replicas.push(replica);
  }

  const agentOf = (index: number) => ({ tenantId: TENANTS[index % TENANTS.length], agentId: `bench-agent-${index}` });
  log(`connecting ${options.clients} SSE clients over ${options.agents} agents`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  cleanup.add('close the SSE clients', async () => agent.destroy());
  const clients = await connectClients(options, replicas, agent, agentOf, (tenantId, agentId) =>
    mintDevToken({ tenantId, roles: ['OmnichannelAgent'], subject: agentId, keys }),
  );

  const writer = new pg.Pool({ connectionString: database.url, max: 4, application_name: 'bench-pops-publisher' });
  cleanup.add('close the publisher', () => writer.end());
  // A pop for every agent, so that every partition has been consumed once: the replicas' consumer group has
  // settled (a member joining stops consumption for seconds) before anything is measured.
  log('warm-up: one pop to every agent, through the pipeline to every stream');
  await publishPops(writer, Array.from({ length: options.agents }, (_, agentIndex) => ({ ...agentOf(agentIndex), index: WARM_UP_POP })), options.agents);
  if (!(await waitFor(() => clients.every((client) => client.arrivals.has(WARM_UP_POP)), WARM_UP_MS))) {
    throw new Error(`warm-up: ${clients.filter((client) => !client.arrivals.has(WARM_UP_POP)).length} streams got no pop within ${WARM_UP_MS / 1_000} s`);
  }

  const pops = Array.from({ length: options.pops }, (_, index) => ({ ...agentOf(index % options.agents), index }));
  log(`publishing ${options.pops} pops at ${options.popsPerSecond}/s`);
  // The streams' side of the load generator (this process) and the publisher share one process: counted together.
  const pids = { ...Object.fromEntries(replicas.map((replica, index) => [`eventBridge${index + 1}`, replica.process.pid])), benchClients: process.pid };
  const cpuBefore = await readCpu(pids, database.url, database.name);
  for (const replica of replicas) profiler?.start(replica.process);
  const published = await publishPops(writer, pops, options.popsPerSecond);
  const expected = clients.reduce((sum, client) => sum + pops.filter((p) => p.agentId === client.agentId && p.tenantId === client.tenantId).length, 0);
  const received = () => clients.reduce((sum, client) => sum + [...client.arrivals.keys()].filter((index) => index !== WARM_UP_POP).length, 0);
  await waitFor(() => received() >= expected, DRAIN_MS);
  const cpuMsPerThousandPops = cpuPerThousand(cpuBefore, await readCpu(pids, database.url, database.name), options.pops);
  const cpuProfiles = [];
  for (const [index, replica] of replicas.entries()) {
    if (profiler) cpuProfiles.push({ service: `${SERVICE} replica ${index + 1}`, ...(await profiler.stopAndSummarize(replica.process)) });
  }

  const latencies: number[] = [];
  let clientsMissingPops = 0;
  for (const client of clients) {
    const own = pops.filter((p) => p.agentId === client.agentId && p.tenantId === client.tenantId);
    if (own.some((p) => !client.arrivals.has(p.index))) clientsMissingPops++;
    for (const p of own) {
      const arrival = client.arrivals.get(p.index);
      if (arrival !== undefined) latencies.push(arrival - (published.get(p.index) ?? arrival));
    }
  }
  const latencyMs = latencySummary(latencies);
  const stages = await stageLatencies(writer);
  return {
    settings: {
      database: database.name,
      kafka: kafkaLabel,
      replicas: options.replicas,
      clients: options.clients,
      agents: options.agents,
      pops: options.pops,
      popsPerSecond: options.popsPerSecond,
    },
    connected: clients.filter((client) => client.stream.status === 200 && !client.stream.isEnded()).length,
    expected,
    received: received(),
    duplicates: clients.reduce((sum, client) => sum + client.duplicates, 0),
    clientsMissingPops,
    latencyMs,
    stages,
    cpuMsPerThousandPops,
    loadAverage: loadavg().map((load) => Math.round(load * 100) / 100),
    goal: POPS_GOAL,
    goalMet: latencyMs.p99 < POPS_GOAL.p99Ms,
    ...(cpuProfiles.length > 0 && { cpuProfiles }),
  };
}

/** Opens the streams round-robin over agents (and replicas), a few at a time, and records each pop's arrival. */
async function connectClients(
  options: PopsBenchOptions,
  replicas: RunningService[],
  agent: http.Agent,
  agentOf: (index: number) => { tenantId: string; agentId: string },
  tokenFor: (tenantId: string, agentId: string) => Promise<string>,
): Promise<BenchClient[]> {
  const clients: BenchClient[] = [];
  const tokens = new Map<string, Promise<string>>();
  const CONNECTING_AT_ONCE = 50;
  for (let start = 0; start < options.clients; start += CONNECTING_AT_ONCE) {
    const batch = Array.from({ length: Math.min(CONNECTING_AT_ONCE, options.clients - start) }, async (_, offset) => {
      const index = start + offset;
      const { tenantId, agentId } = agentOf(index % options.agents);
      const key = `${tenantId}/${agentId}`;
      if (!tokens.has(key)) tokens.set(key, tokenFor(tenantId, agentId));
      const client: BenchClient = { tenantId, agentId, arrivals: new Map(), duplicates: 0, stream: undefined as unknown as SseStream };
      client.stream = await openSseStream(`${replicas[index % replicas.length].url}/agent-stream`, {
        agent,
        headers: { authorization: `Bearer ${await tokens.get(key)}` },
        onEvent: (event) => {
          const now = performance.now();
          const popIndex = Number(/#pop-(-?\d+)"/.exec(event.data)?.[1]);
          if (client.arrivals.has(popIndex)) client.duplicates++;
          else client.arrivals.set(popIndex, now);
        },
      });
      if (client.stream.status !== 200) throw new Error(`stream ${index} answered ${client.stream.status}: ${await client.stream.body()}`);
      return client;
    });
    clients.push(...(await Promise.all(batch)));
  }
  return clients;
}

/**
 * Publishes each pop in its own outbox transaction, as a producing service does, `perSecond` of them a second;
 * returns when each one was published (performance clock, taken as its transaction begins), by pop index.
 */
async function publishPops(pool: pg.Pool, pops: { tenantId: string; agentId: string; index: number }[], perSecond: number): Promise<Map<number, number>> {
  const transaction = pgTransactionRunner(pool);
  const published = new Map<number, number>();
  const started = performance.now();
  const sends = pops.map(async (pop, position) => {
    await sleep(started + (position * 1_000) / perSecond - performance.now());
    const event = createCloudEvent({
      type: CrmRecordPopEventTypes.recordPop,
      source: '/switchboard/bench',
      subject: pop.agentId,
      tenantId: pop.tenantId,
      data: { agentId: pop.agentId, recordUrl: `https://crm.example.com/tickets/${pop.index}#pop-${pop.index}` },
    });
    published.set(pop.index, performance.now());
    await transaction((tx) => enqueueEvents(tx, 'event_bridge', [{ topic: Topics.crmRecordPops, event, key: pop.agentId }]));
  });
  await Promise.all(sends);
  return published;
}

/**
 * Where the time went, from the rows' own timestamps (the database's clock): the relay (outbox row written →
 * sent to Kafka) and the consumer (sent → its stream entries' transaction began). The rest is the fan-out.
 */
async function stageLatencies(pool: pg.Pool): Promise<PopsBenchReport['stages']> {
  const { rows } = await pool.query<{ relay_ms: number; consume_ms: number }>(
    `SELECT extract(epoch FROM o.published_at - o.created_at) * 1000 AS relay_ms,
            extract(epoch FROM min(e.created_at) - o.published_at) * 1000 AS consume_ms
       FROM event_bridge.outbox_event AS o
       JOIN event_bridge.agent_stream_entry AS e ON e.data ->> 'eventId' = o.id::text
      WHERE o.topic = $1
      GROUP BY o.seq`,
    [Topics.crmRecordPops],
  );
  return {
    relayMs: latencySummary(rows.map((row) => Number(row.relay_ms))),
    consumeMs: latencySummary(rows.map((row) => Number(row.consume_ms))),
  };
}

/** Whether `condition` came true within `timeoutMs`. */
async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
