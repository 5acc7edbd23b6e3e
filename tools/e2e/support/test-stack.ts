import { mintDevToken, Role } from '@switchboard/auth';
import { SecretBox } from '@switchboard/persistence';
import { deployMigrations, findWorkspaceRoot } from '@switchboard/persistence/migrate';
import { loadServiceManifests, manifestNamed } from '@switchboard/service-manifest';
import { createDatabaseOn, createTestDatabase, testInfra } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningService, startService, waitUntilReady } from '../../stack/service-process';
import { type ServiceName } from '../../stack/services';

export interface TestStack {
  databaseUrl: string;
  kafkaBrokers: string[];
  services: Map<ServiceName, RunningService>;
  url(name: ServiceName): string;
  /** A development token; `subject` is its `sub` (an agent's id for the agent stream). */
  token(tenantId: string, roles: Role[], subject?: string): Promise<string>;
  /** A JSON request to one of the stack's services with a bearer token for the tenant and roles (as startServiceTestApp's call). */
  call(name: ServiceName, path: string, init: RequestInit & { tenantId: string; roles: Role[] }): Promise<Response>;
  /** Starts (again) one service of the stack, e.g. after kill() in a crash test. */
  start(name: ServiceName): Promise<RunningService>;
  stop(): Promise<void>;
}

/**
 * Per service, to listen and then to be ready. Several services start at once, each connecting to
 * Kafka and Postgres; on two cores shared with other work that takes far longer than alone (~6 s).
 * The same bound as `npm start`'s.
 */
const START_TIMEOUT_MS = 90_000;

export interface TestStackOptions {
  /** The workspace whose built services run; default: this one (the service generator's test uses a copy). */
  workspaceRoot?: string;
  /** Fixed ports per service (default: a free one at each start), e.g. when a service must know its own address. */
  ports?: Partial<Record<ServiceName, number>>;
  /** Environment for one service only, over extraEnv (e.g. its PUBLIC_BASE_URL for providers' callbacks). */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** The Postgres server to create the stack's database on (default: this test run's), e.g. one the caller restarts. */
  databaseServer?: string;
  /** The brokers (default: this test run's), for a stack started outside vitest. */
  kafkaBrokers?: string[];
}

/**
 * Real services as real processes (built by `nx build`), on a fresh database and this run's Kafka,
 * with their own consumer groups so that several stacks can share one broker.
 */
export async function startTestStack(names: ServiceName[], extraEnv: Record<string, string> = {}, options: TestStackOptions = {}): Promise<TestStack> {
  const workspaceRoot = options.workspaceRoot ?? findWorkspaceRoot();
  // A misspelt name fails here, listing the services of that workspace's apps/*/service.json.
  const manifests = loadServiceManifests(workspaceRoot);
  for (const name of names) manifestNamed(manifests, name);
  const kafkaBrokers = options.kafkaBrokers ?? testInfra().kafkaBrokers;
  const database = options.databaseServer ? await createDatabaseOn(options.databaseServer, 'e2e') : await createTestDatabase('e2e');
  const keysDir = await mkdtemp(join(tmpdir(), 'sb-e2e-keys-'));
  const groupSuffix = randomUUID().slice(0, 8);
  const secretsKey = SecretBox.generateKey();
  await Promise.all(names.map((service) => deployMigrations({ service, databaseUrl: database.url, workspaceRoot })));

  const envFor = (name: ServiceName): Record<string, string> => ({
    DATABASE_URL: database.url,
    KAFKA_BROKERS: kafkaBrokers.join(','),
    KAFKA_CONSUMER_GROUP: `${name}.e2e-${groupSuffix}`,
    KAFKA_CONSUMER_MAX_WAIT_MS: '100',
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    AUTH_DEV_ISSUER_ENABLED: 'true',
    AUTH_DEV_KEYS_DIR: keysDir,
    SECRETS_ENCRYPTION_KEY: secretsKey,
    LOG_LEVEL: 'warn',
    SHUTDOWN_GRACE_MS: '3000',
    ...extraEnv,
    ...options.serviceEnv?.[name],
  });
  const services = new Map<ServiceName, RunningService>();
  const start = async (name: ServiceName) => {
    const service = await startService(name, { workspaceRoot, env: envFor(name), port: options.ports?.[name], startTimeoutMs: START_TIMEOUT_MS });
    services.set(name, service);
    await waitUntilReady(service, START_TIMEOUT_MS);
    return service;
  };
  try {
    await Promise.all(names.map(start));
  } catch (error) {
    await Promise.all([...services.values()].map((s) => s.stop()));
    await database.drop();
    throw error;
  }
  const urlOf = (name: ServiceName): string => {
    const service = services.get(name);
    if (!service) throw new Error(`${name} is not part of this stack`);
    return service.url;
  };
  return {
    databaseUrl: database.url,
    kafkaBrokers,
    services,
    url: urlOf,
    token: (tenantId, roles, subject) => mintDevToken({ tenantId, roles, keysDir, subject }),
    async call(name, path, { tenantId, roles, headers, ...init }) {
      const authorization = `Bearer ${await mintDevToken({ tenantId, roles, keysDir })}`;
      return fetch(`${urlOf(name)}${path}`, { ...init, headers: { 'content-type': 'application/json', authorization, ...headers } });
    },
    start,
    async stop() {
      await Promise.all([...services.values()].map((s) => s.stop()));
      await database.drop();
      await rm(keysDir, { recursive: true, force: true });
    },
  };
}

export { eventually } from '@switchboard/testing';
