import { findWorkspaceRoot } from '@switchboard/persistence/migrate';
import { databaseExists, testInfra } from '@switchboard/testing';
import type { BenchEnvironment } from './cleanup-stack';

/**
 * A benchmark's short run inside the test suite: this run's Postgres and Kafka, a build only when dist/ lacks
 * the service, progress lines kept for assertions; `leftNothingBehind` checks the cleanup ran and dropped the
 * benchmark's database.
 */
export function benchTestEnvironment(): { environment: BenchEnvironment; leftNothingBehind(database: string): Promise<boolean> } {
  const { databaseUrl, kafkaBrokers } = testInfra();
  const lines: string[] = [];
  return {
    environment: { workspaceRoot: findWorkspaceRoot(), postgresUrl: databaseUrl, kafkaBrokers, build: 'if-missing', log: (line) => lines.push(line) },
    leftNothingBehind: async (database) => lines.includes('cleaning up') && !(await databaseExists(databaseUrl, database)),
  };
}
