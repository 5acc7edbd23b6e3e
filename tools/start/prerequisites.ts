import { LOCAL_DATABASE_URL } from '@switchboard/persistence';
import {
  KcatNotInstalledError,
  LOCAL_POSTGRES_URL,
  type MockKafka,
  checkKafkaBrokers,
  checkPostgres,
  displayAddress,
  parseBrokerList,
  serverUrl,
  startMockKafka,
} from '@switchboard/testing';
import { type ClusterStart, startDebianCluster } from './local-postgres';
import { StartError } from './start-error';

export const MINIMUM_NODE_MAJOR = 20;

export function nodeVersionProblem(version = process.versions.node): string | undefined {
  const major = Number(version.split('.')[0]);
  if (major >= MINIMUM_NODE_MAJOR) return undefined;
  return `Node.js ${version} is too old — install Node.js ${MINIMUM_NODE_MAJOR} or newer (https://nodejs.org).`;
}

export interface PostgresChoice {
  /** Base database URL handed to migrations and services (each adds its own `?schema=`). */
  url: string;
  source: 'env' | 'local';
  /** Said in the summary when start.ts had to start the local cluster itself. */
  note?: string;
}

export interface PostgresDeps {
  checkPostgres(url: string): Promise<void>;
  startDebianCluster(port: number): Promise<ClusterStart>;
  /** How long a freshly started cluster may take to accept logins. */
  startupWaitMs?: number;
}

const defaultPostgresDeps: PostgresDeps = { checkPostgres: (url) => checkPostgres(url), startDebianCluster: (port) => startDebianCluster(port) };

/** DATABASE_URL when given; otherwise the local server, starting Debian's cluster when it is down. */
export async function choosePostgres(env: NodeJS.ProcessEnv, deps: PostgresDeps = defaultPostgresDeps): Promise<PostgresChoice> {
  const explicit = env['DATABASE_URL']?.trim();
  if (explicit) {
    const server = serverUrl(explicit);
    await deps.checkPostgres(server).catch((error: unknown) => {
      throw new StartError(`Postgres: DATABASE_URL (${displayAddress(server)}) does not answer (${reasonOf(error)}) — start that server or unset DATABASE_URL to use the local one.`);
    });
    return { url: explicit, source: 'env' };
  }

  const address = displayAddress(LOCAL_POSTGRES_URL);
  const firstTry = await attempt(() => deps.checkPostgres(LOCAL_POSTGRES_URL));
  if (firstTry === undefined) return { url: LOCAL_DATABASE_URL, source: 'local' };

  const cluster = await deps.startDebianCluster(Number(new URL(LOCAL_POSTGRES_URL).port));
  switch (cluster.outcome) {
    case 'started': {
      const failure = await retryFor(deps.startupWaitMs ?? 10_000, () => deps.checkPostgres(LOCAL_POSTGRES_URL));
      if (failure !== undefined) {
        throw new StartError(`Postgres: started cluster ${cluster.cluster} but ${address} still refuses the login as user postgres (${failure}) — allow trust auth for 127.0.0.1 in pg_hba.conf or set DATABASE_URL.`);
      }
      return { url: LOCAL_DATABASE_URL, source: 'local', note: `started the local cluster ${cluster.cluster}` };
    }
    case 'failed':
      throw new StartError(`Postgres: ${address} does not answer and \`pg_ctlcluster ${cluster.cluster} start\` failed (${cluster.reason}) — start PostgreSQL yourself (sudo pg_ctlcluster ${cluster.cluster} start) or set DATABASE_URL.`);
    case 'already-running':
      // The server runs, so the problem is the login (or the address): say what the server said.
      throw new StartError(`Postgres: the local cluster ${cluster.cluster} runs but ${address} refuses user postgres (${firstTry}) — allow trust auth for 127.0.0.1 in pg_hba.conf or set DATABASE_URL.`);
    case 'no-cluster-on-port':
    case 'no-cluster-tools':
      throw new StartError(`Postgres: nothing answers on ${address} — install PostgreSQL (sudo apt-get install postgresql) or set DATABASE_URL.`);
  }
}

export interface KafkaChoice {
  brokers: string[];
  /** Present when start.ts started the local mock cluster (and must stop it). */
  mock?: MockKafka;
}

export interface KafkaDeps {
  checkKafkaBrokers(brokers: string[]): Promise<void>;
  startMockKafka(): Promise<MockKafka>;
}

const defaultKafkaDeps: KafkaDeps = { checkKafkaBrokers: (brokers) => checkKafkaBrokers(brokers), startMockKafka: () => startMockKafka() };

export const KCAT_MISSING = 'Kafka: kcat is not installed — install it with `sudo apt-get install kcat`, or set KAFKA_BROKERS to a running Kafka.';

/** KAFKA_BROKERS when given; otherwise librdkafka's mock cluster through kcat (in memory, gone on stop). */
export async function chooseKafka(env: NodeJS.ProcessEnv, deps: KafkaDeps = defaultKafkaDeps): Promise<KafkaChoice> {
  const explicit = parseBrokerList(env['KAFKA_BROKERS'] ?? '');
  if (explicit.length > 0) {
    await deps.checkKafkaBrokers(explicit).catch((error: unknown) => {
      throw new StartError(`Kafka: KAFKA_BROKERS (${explicit.join(',')}) does not answer (${reasonOf(error)}) — start that broker or unset KAFKA_BROKERS to use a local mock.`);
    });
    return { brokers: explicit };
  }
  const mock = await deps.startMockKafka().catch((error: unknown) => {
    if (error instanceof KcatNotInstalledError) throw new StartError(KCAT_MISSING);
    throw new StartError(`Kafka: the local mock cluster (kcat) did not start (${reasonOf(error)}) — set KAFKA_BROKERS to a running Kafka.`);
  });
  return { brokers: mock.brokers, mock };
}

/** Resolves with the failure's reason, or undefined when `action` succeeded. */
async function attempt(action: () => Promise<void>): Promise<string | undefined> {
  try {
    await action();
    return undefined;
  } catch (error) {
    return reasonOf(error);
  }
}

async function retryFor(windowMs: number, action: () => Promise<void>): Promise<string | undefined> {
  const deadline = Date.now() + windowMs;
  for (;;) {
    const failure = await attempt(action);
    if (failure === undefined || Date.now() >= deadline) return failure;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export function reasonOf(error: unknown): string {
  if (error instanceof AggregateError) return error.errors.map(reasonOf).join('; ');
  if (error instanceof Error) return error.message || (error as NodeJS.ErrnoException).code || error.name;
  return String(error);
}
