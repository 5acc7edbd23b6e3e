import type { TestProject } from 'vitest/node';
import { pickTestInfrastructure } from './infra-picker';
import './provided-context';
import { publishTestInfra, TEST_INFRA_ENV } from './test-infra';

/**
 * Vitest `globalSetup` (root vitest.config.mts): picks Postgres and Kafka once per run, hands their addresses
 * to every test file, and stops whatever it started when the run ends.
 * Runs in the main process, so it must not import the `vitest` runtime (only its types).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const infra = await pickTestInfrastructure();
  project.provide('databaseUrl', infra.databaseUrl);
  project.provide('kafkaBrokers', infra.kafkaBrokers);
  project.provide('infraKind', infra.infraKind);
  // Workers are forked after global setup with a copy of this environment: that is what testInfra() reads.
  publishTestInfra(infra);
  return async () => {
    delete process.env[TEST_INFRA_ENV];
    await infra.stop();
  };
}
