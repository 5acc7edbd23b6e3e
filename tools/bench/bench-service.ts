import { SecretBox } from '@switchboard/persistence';
import { startMockKafka } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { deployMigrations } from '@switchboard/persistence/migrate';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildServices } from '../start/build-services';
import { createBenchDatabase } from './bench-database';
import type { CleanupStack } from './cleanup-stack';
import { spawnTsChild, stopChild } from './ts-child-process';

/** KAFKA_BROKERS when given, otherwise a librdkafka mock cluster that the cleanup stops. */
export async function benchKafka(given: string[] | undefined, cleanup: CleanupStack, log: (line: string) => void): Promise<{ brokers: string[]; isMock: boolean }> {
  if (given?.length) {
    log(`Kafka: ${given.join(',')} (KAFKA_BROKERS)`);
    return { brokers: given, isMock: false };
  }
  const kafka = await startMockKafka();
  cleanup.add('stop the Kafka mock', kafka.stop);
  log(`Kafka: librdkafka mock cluster at ${kafka.brokers.join(',')}`);
  return { brokers: kafka.brokers, isMock: true };
}

/** The environment every benchmarked service gets: its database, Kafka, dev tokens, a fresh secrets key, no rate limits. */
export function benchServiceEnv(service: string, settings: { databaseUrl: string; kafka: { brokers: string[]; isMock: boolean }; keysDir: string }): Record<string, string> {
  return {
    DATABASE_URL: settings.databaseUrl,
    KAFKA_BROKERS: settings.kafka.brokers.join(','),
    KAFKA_CONSUMER_GROUP: `${service}.bench-${randomUUID().slice(0, 8)}`,
    KAFKA_CONSUMER_MAX_WAIT_MS: '100',
    // The mock reports controller id 0 while brokers start at 1: kafkajs' idempotent producer cannot work there.
    ...(settings.kafka.isMock && { KAFKA_IDEMPOTENT_PRODUCER: 'false' }),
    AUTH_DEV_ISSUER_ENABLED: 'true',
    AUTH_DEV_KEYS_DIR: settings.keysDir,
    SECRETS_ENCRYPTION_KEY: SecretBox.generateKey(),
    // One address and one tenant send everything: the budgets would measure themselves.
    RATE_LIMIT_PER_ADDRESS: 'off',
    RATE_LIMIT_PER_TENANT: 'off',
    LOG_LEVEL: 'warn',
  };
}

/**
 * What a one-service benchmark needs before it starts the service: the build (unless --no-build), a
 * throw-away database with the service's migrations, Kafka and a dev key folder, each undone by the cleanup.
 */
export async function prepareServiceBench(settings: { service: string; build: boolean; workspaceRoot: string; postgresUrl: string; kafkaBrokers: string[] | undefined; cleanup: CleanupStack; log: (line: string) => void }) {
  const { service, workspaceRoot, cleanup, log } = settings;
  if (settings.build) {
    log(`building ${service} (nx build)`);
    await buildServices({ workspaceRoot, projects: [service] });
  }
  const database = await createBenchDatabase(settings.postgresUrl);
  cleanup.add(`drop database ${database.name}`, database.drop);
  await deployMigrations({ service, databaseUrl: database.url, workspaceRoot });
  const kafka = await benchKafka(settings.kafkaBrokers, cleanup, log);
  const keysDir = await mkdtemp(join(tmpdir(), 'sb-bench-keys-'));
  cleanup.add('remove the dev key folder', () => rm(keysDir, { recursive: true, force: true }));
  return { database, kafka, keysDir };
}

/** A simulator in a child process (`entry`), which prints one JSON line about itself once it listens; stopped by the cleanup. */
export async function startSimulatorProcess<T>(settings: { workspaceRoot: string; entry: string; env: Record<string, string>; what: string; cleanup: CleanupStack }): Promise<T> {
  const child = spawnTsChild({ workspaceRoot: settings.workspaceRoot, entry: settings.entry, env: settings.env, stdio: ['pipe', 'pipe', 'inherit'] });
  settings.cleanup.add(`stop the ${settings.what}`, () => stopChild(child));
  if (!child.stdout) throw new Error(`the ${settings.what} process has no stdout`);
  const [firstLine] = await Promise.race([
    createInterface({ input: child.stdout })[Symbol.asyncIterator]().next().then((line) => [line.value as string]),
    new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the ${settings.what} exited (${code}) before listening`)))),
  ]);
  return JSON.parse(firstLine ?? '{}') as T;
}

/** Runs a bench command's main and exits with its code (1 with the stack when it throws). */
export function exitWhenDone(main: () => Promise<number>, log: (line: string) => void): void {
  main().then(
    (code) => process.exit(code),
    (error: Error) => {
      log(`failed: ${error.stack ?? error.message}`);
      process.exit(1);
    },
  );
}
