import type { InfraKinds } from './infra-picker';
import { createDatabaseOn, type TestDatabase } from './test-database';

export interface TestInfra {
  /** Postgres server URL (names the `postgres` maintenance database). */
  databaseUrl: string;
  kafkaBrokers: string[];
  infraKind: InfraKinds;
}

/**
 * global-setup.ts publishes the picked infrastructure twice: through vitest's `provide` (read it with
 * `inject('kafkaBrokers')` etc.) and in this environment variable, which vitest copies into every worker.
 * testInfra() reads the variable so that it stays synchronous without importing `vitest`: tools run through
 * tsx are CommonJS, and vitest's CommonJS entry throws on require.
 */
export const TEST_INFRA_ENV = 'SB_TEST_INFRA';

export function publishTestInfra(infra: TestInfra, env: NodeJS.ProcessEnv = process.env): void {
  const { databaseUrl, kafkaBrokers, infraKind } = infra;
  env[TEST_INFRA_ENV] = JSON.stringify({ databaseUrl, kafkaBrokers, infraKind });
}

/** The infrastructure global-setup.ts picked for this run. */
export function testInfra(env: NodeJS.ProcessEnv = process.env): TestInfra {
  const published = env[TEST_INFRA_ENV];
  if (!published) {
    throw new Error(`testInfra(): no test infrastructure was published (${TEST_INFRA_ENV} is unset); run the tests through vitest, whose globalSetup is libs/testing/src/global-setup.ts.`);
  }
  const infra = JSON.parse(published) as Partial<TestInfra>;
  if (typeof infra.databaseUrl !== 'string' || !Array.isArray(infra.kafkaBrokers) || !infra.infraKind) {
    throw new Error(`testInfra(): ${TEST_INFRA_ENV} does not hold databaseUrl, kafkaBrokers and infraKind: ${published}`);
  }
  return infra as TestInfra;
}

/** A fresh, empty database `sb_t_<prefix>_<random>` on this run's Postgres server; drop() it in afterAll. */
export function createTestDatabase(prefix: string): Promise<TestDatabase> {
  return createDatabaseOn(testInfra().databaseUrl, prefix);
}
