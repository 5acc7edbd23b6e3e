import { SecretBox } from '@switchboard/persistence';
import { startMockKafka } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import type { CleanupStack } from './cleanup-stack';

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
