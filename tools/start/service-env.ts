import type { ServicePort } from './ports';

export interface StackSettings {
  /** Base database URL; each service adds its own `?schema=`. */
  databaseUrl: string;
  kafkaBrokers: string[];
  /** librdkafka's mock cluster: no idempotent producer, fetches wait the full maxWait. */
  kafkaIsMock: boolean;
  secretsKey: string;
  devKeysDir: string;
}

/**
 * The variables `npm start` sets for one service, on top of the caller's environment (which
 * service-process.ts passes through): the caller's tuning knobs win where they are only defaults.
 */
export function serviceEnv(settings: StackSettings, service: ServicePort, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const mockOnly: Record<string, string> = settings.kafkaIsMock
    ? // The mock reports controller id 0 while brokers start at 1: kafkajs' idempotent producer cannot work there.
      { KAFKA_IDEMPOTENT_PRODUCER: 'false', KAFKA_CONSUMER_MAX_WAIT_MS: env['KAFKA_CONSUMER_MAX_WAIT_MS'] ?? '100' }
    : {};
  return {
    NODE_ENV: env['NODE_ENV'] ?? 'development',
    LOG_LEVEL: env['LOG_LEVEL'] ?? 'info',
    DATABASE_URL: settings.databaseUrl,
    KAFKA_BROKERS: settings.kafkaBrokers.join(','),
    ...mockOnly,
    // Per service: one shared value could not be right for every port.
    PUBLIC_BASE_URL: `http://127.0.0.1:${service.port}`,
    AUTH_DEV_ISSUER_ENABLED: 'true',
    AUTH_DEV_KEYS_DIR: settings.devKeysDir,
    SECRETS_ENCRYPTION_KEY: settings.secretsKey,
  };
}
