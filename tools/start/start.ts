/**
 * `npm start` (P4.4): the whole system on one machine with embedded defaults.
 *
 * Uses DATABASE_URL / KAFKA_BROKERS when given, otherwise the local Postgres (starting Debian's cluster
 * when it is down; embedded Postgres from npm in .local/postgres when none is installed) and librdkafka's mock
 * Kafka cluster through kcat (through the npm package @confluentinc/kafka-javascript when kcat is absent); builds every service of apps/<name>/service.json (Nx
 * cache), applies every migration, starts the services with their logs in .local/logs, prints one
 * summary and stops everything gracefully on Ctrl-C (a second Ctrl-C kills).
 *
 * Settings: SWITCHBOARD_PORT_BASE (4000 → ports 4001, 4002, … in port order), SWITCHBOARD_LOG_DIR (default .local/logs),
 * SECRETS_ENCRYPTION_KEY (default: kept in .local/secrets.key), AUTH_DEV_KEYS_DIR (default
 * .local/dev-jwt), LOG_LEVEL, SHUTDOWN_GRACE_MS; every other service variable passes through.
 * It also starts the SMTP peer and sshd (or an S3 server), seeds the demo tenant (`--no-demo`: not) and
 * writes what `npm run demo` needs to SWITCHBOARD_STATE_FILE (default .local/stack.json).
 */
import { join, relative } from 'node:path';
import { defaultDevKeysDir, loadOrCreateDevKeys } from '@switchboard/auth/dev-tokens';
import { deployMigrations, findWorkspaceRoot, listMigratableServices } from '@switchboard/persistence/migrate';
import { displayAddress, type EmbeddedPostgresServer, type MockKafka } from '@switchboard/testing';
import { SERVICES } from '../stack/services';
import { startLocalCrm } from './crm-peer';
import { startLocalDataverse } from './dataverse-peer';
import { startLocalGcs } from './gcs-peer';
import { startLocalMessagingProviders } from './messaging-peers';
import { BuildFailedError, buildServices } from './build-services';
import { type ServicePort, servicePorts, takenPortProblems } from './ports';
import { chooseKafka, choosePostgres, type KafkaChoice, localPostgresDeps, nodeVersionProblem, type PostgresChoice, reasonOf } from './prerequisites';
import { loadOrCreateSecretsKey } from './secrets-key';
import { serviceEnv } from './service-env';
import { ServiceFailure, ServiceSupervisor } from './service-supervisor';
import { StartError } from './start-error';
import { formatSummary } from './summary';
import { type DemoPeers, startDemoPeers } from './demo-peers';
import { DEMO_EXPORT_FOLDER } from './demo-tenant';
import { seedAndDescribeDemo } from './demo-stack';
import { removeStackState, stateFilePath } from './stack-state';

const READY_TIMEOUT_MS = 90_000;
/** Beyond the service's own drain (SHUTDOWN_GRACE_MS), closing consumers and pools takes a moment. */
const STOP_MARGIN_MS = 10_000;
const DUPLICATE_SIGNAL_WINDOW_MS = 1_000;

const say = (line = '') => process.stdout.write(`${line}\n`);
const complain = (line: string) => process.stderr.write(`${line}\n`);
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** What has been started so far, so that any exit path stops exactly that. */
class LocalStack {
  mock?: MockKafka;
  embeddedPostgres?: EmbeddedPostgresServer;
  dataverse?: { close(): Promise<void> };
  crm?: { close(): Promise<void> };
  messaging?: { close(): Promise<void> };
  gcs?: { close(): Promise<void> };
  demoPeers?: DemoPeers;
  stateFile?: string;
  supervisor?: ServiceSupervisor;
  build?: { kill(signal: NodeJS.Signals): boolean; exitCode: number | null };
  private stopping?: Promise<never>;

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  /** Stops everything once (later calls share the first) and leaves the process with `exitCode`. */
  stop(exitCode: number): Promise<never> {
    this.stopping ??= (async () => {
      if (this.build?.exitCode === null) this.build.kill('SIGTERM');
      await this.supervisor?.stopAll();
      await this.dataverse?.close();
      await this.crm?.close();
      await this.messaging?.close();
      await this.gcs?.close();
      await this.demoPeers?.close();
      if (this.stateFile) await removeStackState(this.stateFile);
      await this.mock?.stop();
      // Last: the services are gone, so nothing is still writing to it.
      await this.embeddedPostgres?.stop();
      say(exitCode === 0 ? 'Stopped.' : 'Stopped everything that was started.');
      process.exit(exitCode);
    })();
    return this.stopping;
  }

  /** A second Ctrl-C: no more waiting. */
  async kill(): Promise<never> {
    if (this.build?.exitCode === null) this.build.kill('SIGKILL');
    await this.supervisor?.killAll();
    await this.mock?.stop();
    await this.embeddedPostgres?.stop();
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const env = process.env;
  const stack = new LocalStack();

  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // One Ctrl-C can arrive twice: from the terminal and relayed by the tsx wrapper (or npm) a few
    // milliseconds later. Only a signal well after the first one means "force".
    if (stack.isStopping && Date.now() - firstSignalAt < DUPLICATE_SIGNAL_WINDOW_MS) return;
    if (stack.isStopping) {
      say(`${signal} again: killing everything now.`);
      void stack.kill();
      return;
    }
    firstSignalAt = Date.now();
    say(`\n${signal}: stopping every service (Ctrl-C again to kill them at once)…`);
    void stack.stop(0).catch(() => process.exit(1));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);

  // Whatever ends this process, no service outlives it.
  process.on('exit', () => stack.supervisor?.killNow());

  const workspaceRoot = findWorkspaceRoot(__dirname);
  const logDir = env['SWITCHBOARD_LOG_DIR'] || join(workspaceRoot, '.local', 'logs');
  try {
    say(`Switchboard: starting ${SERVICES.length} services on this machine (Ctrl-C stops)`);

    const { ports, postgres, kafka } = await checkPrerequisites(env, stack, workspaceRoot);
    if (stack.isStopping) return;
    const kafkaLabel = kafka.mock ? `Kafka ${kafka.mockLabel ?? 'mock'} ${kafka.brokers.join(',')}` : `Kafka ${kafka.brokers.join(',')}`;
    say(`  ✓ prerequisites: Node ${process.versions.node}, Postgres ${displayAddress(postgres.url)}${postgres.note ? ` (${postgres.note})` : ''}, ${kafkaLabel}`);

    const buildStart = Date.now();
    await buildServices({ workspaceRoot, projects: SERVICES.map((service) => service.name), onSpawn: (child) => (stack.build = child) });
    if (stack.isStopping) return;
    say(`  ✓ built (${seconds(buildStart)})`);

    const migrationStart = Date.now();
    const applied = await applyMigrations(workspaceRoot, postgres.url);
    if (stack.isStopping) return;
    say(`  ✓ migrations: ${applied === 0 ? 'up to date' : `${applied} applied`} (${seconds(migrationStart)})`);

    const devKeysDir = defaultDevKeysDir(env, workspaceRoot);
    await loadOrCreateDevKeys(devKeysDir);
    const secretsKey = env['SECRETS_ENCRYPTION_KEY'] || (await loadOrCreateSecretsKey(join(workspaceRoot, '.local', 'secrets.key')));
    const serviceGraceMs = Number(env['SHUTDOWN_GRACE_MS'] || 10_000);
    const graceMs = (Number.isFinite(serviceGraceMs) ? serviceGraceMs : 10_000) + STOP_MARGIN_MS;
    // A Ctrl-C during the steps above must not be followed by spawning anything.
    if (stack.isStopping) return;

    // The Dataverse + Entra simulator, so that crm-sync's IVR data dip can be tried locally (README).
    const dataverse = await startLocalDataverse(env);
    stack.dataverse = dataverse.simulator;
    // The reference CRM simulator, so that the custom-CRM engine can be tried locally (README).
    const crm = await startLocalCrm(env);
    stack.crm = crm.simulator;
    // The Twilio and ACS SMS simulators, so that outbound-messaging sends end to end locally (README).
    const messaging = await startLocalMessagingProviders(env);
    stack.messaging = messaging;
    // The Cloud Storage simulator, so that storage-export's GCS backend can be tried locally (README).
    const gcs = await startLocalGcs(env, join(workspaceRoot, '.local', 'gcs-simulator-key.json'));
    stack.gcs = gcs.simulator;
    // The SMTP peer with its inbox and sshd (or S3) for the exports: every peer the demo tenant uses (README "Run it").
    const withDemo = !process.argv.includes('--no-demo');
    const demoPeers = await startDemoPeers(env, { demo: withDemo, exportFolder: DEMO_EXPORT_FOLDER });
    stack.demoPeers = demoPeers;
    const supervisor = new ServiceSupervisor({ workspaceRoot, logDir, readyTimeoutMs: READY_TIMEOUT_MS, stopGraceMs: graceMs });
    stack.supervisor = supervisor;
    const settings = { databaseUrl: postgres.url, kafkaBrokers: kafka.brokers, kafkaIsMock: kafka.mock !== undefined, secretsKey, devKeysDir };
    const servicesStart = Date.now();
    await supervisor.startAll(ports, (service) => ({ ...serviceEnv(settings, service, env), ...dataverse.serviceEnv(service.name), ...crm.serviceEnv(service.name), ...messaging.serviceEnv(service), ...gcs.serviceEnv(service.name), ...demoPeers.serviceEnv(service.name) }));
    if (stack.isStopping) return;
    say(`  ✓ services ready (${seconds(servicesStart)})`);

    supervisor.watchForUnexpectedExit((failure) => {
      reportServiceFailure(failure, logDir);
      complain('Stopping the other services…');
      void stack.stop(1);
    });
    const shownLogDir = relative(workspaceRoot, logDir).startsWith('..') ? logDir : relative(workspaceRoot, logDir);
    say(dataverse.summaryLine);
    say(crm.summaryLine);
    for (const line of messaging.summaryLines) say(line);
    say(gcs.summaryLine);
    for (const line of demoPeers.summaryLines) say(line);
    stack.stateFile = stateFilePath(env, workspaceRoot);
    const tryIt = await seedAndDescribeDemo({ withDemo, stateFile: stack.stateFile, supervisor, devKeysDir, kafkaBrokers: kafka.brokers, dataverse: dataverse.simulator, crm: crm.simulator, twilio: messaging.twilio, demoPeers });
    if (stack.isStopping) return;
    say(
      formatSummary({
        services: supervisor.rows(),
        postgres,
        kafka: { brokers: kafka.brokers, mock: kafka.mock !== undefined, mockLabel: kafka.mockLabel },
        logDir: shownLogDir || '.',
        readyInMs: Date.now() - startedAt,
        tryIt,
      }),
    );
  } catch (error) {
    if (stack.isStopping) return;
    if (error instanceof ServiceFailure) reportServiceFailure(error, logDir);
    else if (error instanceof StartError || error instanceof BuildFailedError) complain(error.message);
    else complain(`npm start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await stack.stop(1);
  }
}

interface Prerequisites {
  ports: ServicePort[];
  postgres: PostgresChoice;
  kafka: KafkaChoice;
}

/** Every check runs; each failing one prints its own sentence, then start gives up. */
async function checkPrerequisites(env: NodeJS.ProcessEnv, stack: LocalStack, workspaceRoot: string): Promise<Prerequisites> {
  const nodeProblem = nodeVersionProblem();
  if (nodeProblem) throw new StartError(nodeProblem);
  const ports = servicePorts(env);
  const [taken, postgres, kafka] = await Promise.allSettled([takenPortProblems(ports), choosePostgres(env, localPostgresDeps(workspaceRoot)), chooseKafka(env)]);
  if (kafka.status === 'fulfilled') stack.mock = kafka.value.mock;
  if (postgres.status === 'fulfilled') stack.embeddedPostgres = postgres.value.embedded;

  const problems = [
    ...(taken.status === 'fulfilled' ? taken.value : [reasonOf(taken.reason)]),
    ...[postgres, kafka].flatMap((outcome) => (outcome.status === 'rejected' ? [reasonOf(outcome.reason)] : [])),
  ];
  if (problems.length > 0 || postgres.status === 'rejected' || kafka.status === 'rejected') {
    throw new StartError(problems.join('\n'));
  }
  return { ports, postgres: postgres.value, kafka: kafka.value };
}

/** `prisma migrate deploy` for every service that owns a schema; resolves with how many were applied. */
async function applyMigrations(workspaceRoot: string, databaseUrl: string): Promise<number> {
  const services = await listMigratableServices(workspaceRoot);
  const outcomes = await Promise.allSettled(services.map((service) => deployMigrations({ service, databaseUrl, workspaceRoot })));
  const failures = outcomes.flatMap((outcome, index) => (outcome.status === 'rejected' ? [`${services[index]}: ${reasonOf(outcome.reason)}`] : []));
  if (failures.length > 0) throw new StartError(`Migrations failed — ${failures.join('; ')}`);
  return outcomes.reduce((sum, outcome) => sum + (outcome.status === 'fulfilled' ? outcome.value.applied.length : 0), 0);
}

function reportServiceFailure(failure: ServiceFailure, logDir: string): void {
  complain(`\n✗ ${failure.service} ${failure.reason}. Its last log lines (${join(logDir, `${failure.service}.log`)}):`);
  for (const line of failure.tail.length > 0 ? failure.tail : ['(nothing logged)']) complain(`    ${line}`);
}

void main();
