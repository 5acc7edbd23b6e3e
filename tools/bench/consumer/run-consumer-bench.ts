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
import { ConsumerBenchReport, judge, spread } from './consumer-report';
import { pipelineRound, RoundsSetup, runRounds } from './consumer-rounds';
import { outboxWriterPool } from './pipeline-run';
import { perThousandEvents } from './process-cpu';

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

/** Unmeasured events through each side before the rounds (at most the round size). */
const WARMUP_EVENTS = 1_000;

export interface ConsumerBenchOptions extends BenchEnvironment {
  /** Events per round and side. */
  events: number;
  rounds: number;
}

/** Runs the consumer benchmark and always cleans up (processes, the database) before returning. */
export function runConsumerBench(options: ConsumerBenchOptions): Promise<ConsumerBenchReport> {
  return withCleanup(options.cleanup, options.log, (cleanup) => benchWith(options, cleanup));
}

async function benchWith(options: ConsumerBenchOptions, cleanup: CleanupStack): Promise<ConsumerBenchReport> {
  const { workspaceRoot, log } = options;
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
    const service = await startService(name, { workspaceRoot, sourceMaps: false, env: { ...env, KAFKA_CONSUMER_GROUP: `${name}.bench-${groupSuffix}` } });
    cleanup.add(`stop ${name}`, () => service.stop(10_000));
    await waitUntilReady(service);
    services.set(name, service);
  }

  const runId = Math.floor(Math.random() * 0xffffffff);
  const writer = outboxWriterPool(database.url);
  cleanup.add('close the outbox writer', () => writer.end());
  log('bare pair: starting');
  const bare = await startBarePair({
    workspaceRoot,
    databaseUrl: database.url,
    brokers,
    table: BARE_TABLE,
    sideGroups: OTHER_CONSUMER_GROUPS,
    sideTable: BARE_SIDE_TABLE,
    topic: `bench.bare.v1-${randomUUID().slice(0, 8)}`,
    tenantId: TENANT,
    consumerMaxWaitMs: CONSUMER_MAX_WAIT_MS,
    partitionsConcurrently: PARTITIONS_CONCURRENTLY,
  });
  cleanup.add('stop the bare pair', bare.stop);
  const setup: RoundsSetup = {
    databaseUrl: database.url,
    databaseName: database.name,
    tenantId: TENANT,
    writer,
    bare,
    pipelinePids: {
      outboxWriter: process.pid,
      relay: services.get('event-bridge')?.process.pid,
      consumer: services.get('crm-sync')?.process.pid,
      kafka: kafkaPid,
    },
    barePids: { barePair: bare.process.pid, kafka: kafkaPid },
    bareTable: BARE_TABLE,
    runId,
    eventsPerRound: options.events,
  };
  // Unmeasured: crm-sync's consumer has joined its group once an event arrives, and both sides' code is warm.
  const warmup = Math.min(options.events, WARMUP_EVENTS);
  log(`warm-up: ${warmup} events through each side`);
  const warmupRun = runId + 0x8000_0000;
  await bare.run(warmupRun % 0xffffffff, warmup);
  await pipelineRound(setup, (warmupRun + 1) % 0xffffffff, warmup);

  log(`${options.rounds} rounds of ${options.events} events per side`);
  const measured = await runRounds(setup, options.rounds, log);
  const cpuProfiles = [];
  if (profiler) {
    // Its own round after the measured ones: the profiler's overhead changes no measured figure.
    log(`profiled pipeline round: ${options.events} events`);
    for (const service of services.values()) profiler.start(service.process);
    await pipelineRound(setup, (warmupRun + 2) % 0xffffffff, options.events);
    for (const [name, service] of services) cpuProfiles.push({ service: name, ...(await profiler.stopAndSummarize(service.process)) });
  }

  const totalEvents = options.events * options.rounds;
  const pipelineRate = spread(measured.rounds.map((round) => round.pipeline.eventsPerSecond));
  const ratio = spread(measured.rounds.map((round) => round.ratio));
  return {
    settings: {
      database: database.name,
      eventsPerRound: options.events,
      rounds: options.rounds,
      kafka: kafkaLabel,
      consumer: { maxWaitMs: CONSUMER_MAX_WAIT_MS, partitionsConsumedConcurrently: PARTITIONS_CONCURRENTLY },
    },
    rounds: measured.rounds,
    pipeline: { eventsPerSecond: pipelineRate, stored: measured.pipeline.stored, cpuMsPerThousandEvents: perThousandEvents(measured.pipeline.cpuMs, totalEvents) },
    bare: {
      eventsPerSecond: spread(measured.rounds.map((round) => round.bare.eventsPerSecond)),
      stored: measured.bare.stored,
      cpuMsPerThousandEvents: perThousandEvents(measured.bare.cpuMs, totalEvents),
    },
    ratio,
    ...judge(pipelineRate.median, ratio.median),
    ...(cpuProfiles.length > 0 && { cpuProfiles }),
  };
}
