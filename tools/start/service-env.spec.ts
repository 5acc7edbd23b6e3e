import { describe, expect, it } from 'vitest';
import { serviceEnv, type StackSettings } from './service-env';

const settings: StackSettings = {
  databaseUrl: 'postgresql://postgres@127.0.0.1:5432/switchboard',
  kafkaBrokers: ['127.0.0.1:40000', '127.0.0.1:40001'],
  kafkaIsMock: true,
  secretsKey: 'a2V5',
  devKeysDir: '/repo/.local/dev-jwt',
};
const crmSync = { name: 'crm-sync' as const, port: 4003 };

describe('service environment under npm start (P4.4, P4.2)', () => {
  it('P4.4 gives every service the stack, its own public URL, dev tokens and the secrets key', () => {
    expect(serviceEnv(settings, crmSync, {})).toEqual({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/switchboard',
      KAFKA_BROKERS: '127.0.0.1:40000,127.0.0.1:40001',
      KAFKA_IDEMPOTENT_PRODUCER: 'false',
      KAFKA_CONSUMER_MAX_WAIT_MS: '100',
      PUBLIC_BASE_URL: 'http://127.0.0.1:4003',
      AUTH_DEV_ISSUER_ENABLED: 'true',
      AUTH_DEV_KEYS_DIR: '/repo/.local/dev-jwt',
      SECRETS_ENCRYPTION_KEY: 'a2V5',
    });
  });

  it("P4.4 keeps the caller's tuning but never the idempotent producer on the mock", () => {
    const env = serviceEnv(settings, crmSync, { LOG_LEVEL: 'debug', NODE_ENV: 'production', KAFKA_CONSUMER_MAX_WAIT_MS: '250', KAFKA_IDEMPOTENT_PRODUCER: 'true' });

    expect(env).toMatchObject({ LOG_LEVEL: 'debug', NODE_ENV: 'production', KAFKA_CONSUMER_MAX_WAIT_MS: '250', KAFKA_IDEMPOTENT_PRODUCER: 'false' });
  });

  it('P4.4 leaves the Kafka client settings to the caller for a real broker', () => {
    const env = serviceEnv({ ...settings, kafkaIsMock: false, kafkaBrokers: ['kafka:9092'] }, crmSync, {});

    expect(env['KAFKA_BROKERS']).toBe('kafka:9092');
    expect(env).not.toHaveProperty('KAFKA_IDEMPOTENT_PRODUCER');
    expect(env).not.toHaveProperty('KAFKA_CONSUMER_MAX_WAIT_MS');
  });
});
