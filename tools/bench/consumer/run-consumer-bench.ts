import { SecretBox } from '@switchboard/persistence';
import { deployMigrations, withConnection } from '@switchboard/persistence/migrate';
import { startMockKafka } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { builtEntryPoint, RunningService, startService, waitUntilReady } from '../../stack/service-process';
import { buildServices } from '../../start/build-services';
import { createBenchDatabase } from '../bench-database';
import { BenchEnvironment, CleanupStack, withCleanup } from '../cleanup-stack';
import { ServiceProfiler } from '../service-profiler';
import { startBarePair } from './bare-pair-process';
import { benchEventId, benchEvents } from './bench-events';
import { ConsumerBenchReport, eventsPerSecond, judge } from './consumer-report';
import { outboxWriterPool, runPipeline } from './pipeline-run';
import { cpuPerThousand, readCpu } from './process-cpu';

const SERVICES = ['event-bridge', 'crm-sync'] as const;
const TENANT = '33333333-3333-4333-8333-333333333333';
const BARE_TABLE = 'bench_bare.agent_event_log';
const BARE_SIDE_TABLE = 'bench_bare.side_group_seen';
/**
 * The pipeline's other consumer groups of agent.events.v1 besides crm-sync's: event-bridge's agent streams.
 * The bare pair runs as many side groups, so that both sides share the two cores with the same consumers.
 */
const OTHER_CONSUMER_GROUPS = 1;
const CONSUMER_MAX_WAIT_MS = 100;
/** The inbox consumer's default; the bare pair gets the same. */
const PARTITIONS_CONCURRENTLY = 1;

export interface ConsumerBenchOptions extends BenchEnvironment {
  events: number;
}

/** Runs the consumer benchmark and always cleans up (processes, the database) before returning. */
export function runConsumerBench(options: ConsumerBenchOptions): Promise<ConsumerBenchReport> {
  return withCleanup(options.cleanup, options.log, (cleanup) => benchWith(options, cleanup));
}

const countStored = (url: string, table: string, prefix: string) =>
  withConnection(url, async (client) => Number((await client.query(`SELECT count(*) FROM ${table} WHERE event_id LIKE $1`, [`${prefix}%`])).rows[0].count));

async function benchWith(options: ConsumerBenchOptions, cleanup: CleanupStack): Promise<ConsumerBenchReport> {
  const { workspaceRoot, log, events: count } = options;
  const missing = SERVICES.some((service) => !existsSync(builtEntryPoint(workspaceRoot, service)));
  if (options.build === 'nx' || (options.build === 'if-missing' && missing)) {
    log(`building ${SERVICES.join(', ')} (nx build)`);
    await buildServices({ workspaceRoot, projects: [...SERVICES] });
  }
  const database = await createBenchDatabase(options.postgresUrl);
  cleanup.add(`drop database ${database.name}`, database.drop);
  log(`database ${database.name}: deploying migrations`);
  for (const service of SERVICES) await deployMigrations({ service, databaseUrl: database.url, workspaceRoot });
  await withConnection(database.url, async (client) => {
    await client.query('CREATE SCHEMA bench_bare');
    await client.query(`CREATE TABLE ${BARE_TABLE} (LIKE crm_sync.agent_event_log INCLUDING ALL)`);
    await client.query(`CREATE TABLE ${BARE_SIDE_TABLE} (event_id text PRIMARY KEY)`);
  });

  let brokers = options.kafkaBrokers;
  let kafkaPid: number | undefined;
  if (!brokers?.length) {
    const kafka = await startMockKafka();
    cleanup.add('stop the Kafka mock', kafka.stop);
    [brokers, kafkaPid] = [kafka.brokers, kafka.pid];
  }
  const kafkaLabel = options.kafkaBrokers?.length ? brokers.join(',') : `librdkafka mock cluster (kcat) at ${brokers.join(',')}`;
  log(`Kafka: ${kafkaLabel}`);

  const profiler = options.cpuProfileDir ? new ServiceProfiler(options.cpuProfileDir, workspaceRoot) : undefined;
  const env = {
    DATABASE_URL: database.url,
    KAFKA_BROKERS: brokers.join(','),
    KAFKA_CONSUMER_MAX_WAIT_MS: String(CONSUMER_MAX_WAIT_MS),
    AUTH_DEV_ISSUER_ENABLED: 'true',
    SECRETS_ENCRYPTION_KEY: SecretBox.generateKey(),
    LOG_LEVEL: 'warn',
    SHUTDOWN_GRACE_MS: '3000',
    ...profiler?.serviceEnv(),
  };
  const services = new Map<string, RunningService>();
  const groupSuffix = randomUUID().slice(0, 8);
  for (const name of SERVICES) {
    log(`starting ${name}`);
    // A consumer group per service, as in production: event-bridge consumes agent.events.v1 too (its agent streams).
    const service = await startService(name, { workspaceRoot, env: { ...env, KAFKA_CONSUMER_GROUP: `${name}.bench-${groupSuffix}` } });
    cleanup.add(`stop ${name}`, () => service.stop(10_000));
    await waitUntilReady(service);
    services.set(name, service);
  }

  // One event through the whole pipeline: crm-sync's consumer has joined its group once it arrives.
  const runId = Math.floor(Math.random() * 0xffffffff);
  const warmupRun = (runId + 1) % 0xffffffff;
  const writer = outboxWriterPool(database.url);
  cleanup.add('close the outbox writer', () => writer.end());
  log('warm-up: one event through the pipeline');
  await runPipeline(writer, database.url, benchEvents(warmupRun, 1, TENANT), benchEventId(warmupRun, 0).slice(0, 8));

  const prefix = benchEventId(runId, 0).slice(0, 8);
  const events = benchEvents(runId, count, TENANT);
  const pids = {
    outboxWriter: process.pid,
    relay: services.get('event-bridge')?.process.pid,
    consumer: services.get('crm-sync')?.process.pid,
    kafka: kafkaPid,
  };
  log(`pipeline: ${count} events`);
  const pipelineBefore = await readCpu(pids, database.url, database.name);
  for (const service of services.values()) profiler?.start(service.process);
  const stages = await runPipeline(writer, database.url, events, prefix);
  const pipelineAfter = await readCpu(pids, database.url, database.name);
  const cpuProfiles = [];
  if (profiler) {
    for (const [name, service] of services) cpuProfiles.push({ service: name, ...(await profiler.stopAndSummarize(service.process)) });
  }
  const pipelineStored = await countStored(database.url, 'crm_sync.agent_event_log', prefix);

  log(`bare pair: ${count} events`);
  const bareRun = (runId + 2) % 0xffffffff;
  const bare = await startBarePair({
    workspaceRoot,
    databaseUrl: database.url,
    brokers,
    table: BARE_TABLE,
    sideGroups: OTHER_CONSUMER_GROUPS,
    sideTable: BARE_SIDE_TABLE,
    topic: `bench.bare.v1-${randomUUID().slice(0, 8)}`,
    events: count,
    runId: bareRun,
    tenantId: TENANT,
    consumerMaxWaitMs: CONSUMER_MAX_WAIT_MS,
    partitionsConcurrently: PARTITIONS_CONCURRENTLY,
  });
  cleanup.add('stop the bare pair', bare.stop);
  const barePids = { barePair: bare.process.pid, kafka: kafkaPid };
  const bareBefore = await readCpu(barePids, database.url, database.name);
  const bareTimes = await bare.run();
  const bareAfter = await readCpu(barePids, database.url, database.name);
  const bareStored = await countStored(database.url, BARE_TABLE, benchEventId(bareRun, 0).slice(0, 8));

  const pipelineRate = eventsPerSecond(count, stages.consumedMs);
  const bareRate = eventsPerSecond(count, bareTimes.elapsedMs);
  return {
    settings: {
      database: database.name,
      events: count,
      kafka: kafkaLabel,
      consumer: { maxWaitMs: CONSUMER_MAX_WAIT_MS, partitionsConsumedConcurrently: PARTITIONS_CONCURRENTLY },
    },
    pipeline: {
      eventsPerSecond: pipelineRate,
      elapsedMs: stages.consumedMs,
      stages,
      stored: pipelineStored,
      cpuMsPerThousandEvents: cpuPerThousand(pipelineBefore, pipelineAfter, count),
    },
    bare: {
      eventsPerSecond: bareRate,
      elapsedMs: Math.round(bareTimes.elapsedMs),
      producedMs: bareTimes.producedMs,
      stored: bareStored,
      cpuMsPerThousandEvents: cpuPerThousand(bareBefore, bareAfter, count),
    },
    ...judge(pipelineRate, bareRate),
    ...(cpuProfiles.length > 0 && { cpuProfiles }),
  };
}
