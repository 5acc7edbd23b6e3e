import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { LOCAL_DATABASE_URL, baseServiceEnv } from './base-service-env';
import { byteSize, envEncryptionKey, envInt, envRate } from './env-schemas';
import { ConfigError, isSensitiveEnv, loadConfig } from './load-config';
import { serviceConfigClass, ServiceConfig } from './service-config';

const minimalEnv = { PORT: '3000', KAFKA_BROKERS: '127.0.0.1:9092' };

const loadEnv = <T extends z.ZodObject>(schema: T, env: Record<string, string>) => loadConfig(schema, { env });

let printed: string[];

beforeEach(() => {
  printed = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed.push(String(chunk));
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

describe('loadConfig', () => {
  function failureOf(env: Record<string, string>, schema: z.ZodObject = baseServiceEnv): ConfigError {
    try {
      loadConfig(schema, { env });
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
    throw new Error('expected loadConfig to fail');
  }

  it('P4.2 applies the documented defaults and parses types', () => {
    const config = loadEnv(baseServiceEnv, { ...minimalEnv, KAFKA_BROKERS: ' a:1 , b:2 ,' });

    expect(config).toEqual({
      NODE_ENV: 'development',
      PORT: 3000,
      HOST: '0.0.0.0',
      DATABASE_URL: LOCAL_DATABASE_URL,
      KAFKA_BROKERS: ['a:1', 'b:2'],
      KAFKA_IDEMPOTENT_PRODUCER: false,
      KAFKA_CONSUMER_MAX_WAIT_MS: 100,
      KAFKA_SESSION_TIMEOUT_MS: 10_000,
      LOG_LEVEL: 'info',
      AUTH_ISSUERS: [],
      AUTH_AUDIENCE: 'api://switchboard',
      AUTH_ALLOWED_TENANTS: [],
      AUTH_CLOCK_TOLERANCE_SEC: 60,
      AUTH_DEV_ISSUER_ENABLED: false,
      AUTH_TOKEN_CACHE_SIZE: 10_000,
      SHUTDOWN_GRACE_MS: 10_000,
      JOBS_POLL_INTERVAL_MS: 250,
      HTTP_BODY_LIMIT: '256kb',
      HTTP_JSON_MAX_DEPTH: 64,
      HTTP_HEADERS_TIMEOUT_MS: 10_000,
      HTTP_REQUEST_TIMEOUT_MS: 30_000,
      HTTP_KEEP_ALIVE_TIMEOUT_MS: 72_000,
      RATE_LIMIT_PER_ADDRESS: { limit: 1_000, periodMs: 10_000 },
      RATE_LIMIT_PER_TENANT: { limit: 1_000, periodMs: 10_000 },
      RATE_LIMIT_FAILED_AUTH_PER_ADDRESS: { limit: 60, periodMs: 60_000 },
    });
    expect(printed).toEqual([]);
  });

  it('P4.2 prints one line per missing variable, with what it should hold', () => {
    const error = failureOf({});

    expect(printed).toEqual([
      'config: PORT is required (TCP port for the HTTP API)\n',
      'config: KAFKA_BROKERS is required (comma-separated host:port list)\n',
    ]);
    expect(error.problems).toHaveLength(2);
  });

  it('P4.2 names the rule and the offending value for an invalid variable', () => {
    failureOf({ ...minimalEnv, PORT: 'abc', KAFKA_BROKERS: 'kafka:9092,nonsense', LOG_LEVEL: 'loud' });

    expect(printed).toEqual([
      'config: PORT must be an integer 0-65535, got "abc"\n',
      'config: KAFKA_BROKERS must be a comma-separated host:port list, got "kafka:9092,nonsense"\n',
      'config: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"\n',
    ]);
  });

  it('P4.2 rejects out-of-range and non-decimal integers', () => {
    for (const port of ['65536', '80.5', '1e3', '-1']) {
      printed = [];
      failureOf({ ...minimalEnv, PORT: port });
      expect(printed).toEqual([`config: PORT must be an integer 0-65535, got "${port}"\n`]);
    }
  });

  it('P4.2 accepts only true/false/1/0 for booleans', () => {
    expect(loadEnv(baseServiceEnv, { ...minimalEnv, KAFKA_IDEMPOTENT_PRODUCER: '1' }).KAFKA_IDEMPOTENT_PRODUCER).toBe(
      true,
    );
    expect(loadEnv(baseServiceEnv, { ...minimalEnv, AUTH_DEV_ISSUER_ENABLED: 'false' }).AUTH_DEV_ISSUER_ENABLED).toBe(
      false,
    );

    failureOf({ ...minimalEnv, AUTH_DEV_ISSUER_ENABLED: 'yes' });
    expect(printed).toEqual(['config: AUTH_DEV_ISSUER_ENABLED must be true, false, 1 or 0, got "yes"\n']);
  });

  it('P4.2 treats empty values as unset, so defaults apply', () => {
    const config = loadEnv(baseServiceEnv, { ...minimalEnv, LOG_LEVEL: '', SHUTDOWN_GRACE_MS: '  ' });

    expect(config.LOG_LEVEL).toBe('info');
    expect(config.SHUTDOWN_GRACE_MS).toBe(10_000);
  });

  it('P4.2 requires DATABASE_URL in production only', () => {
    expect(loadEnv(baseServiceEnv, { ...minimalEnv, NODE_ENV: 'test' }).DATABASE_URL).toBe(LOCAL_DATABASE_URL);

    failureOf({ ...minimalEnv, NODE_ENV: 'production' });
    expect(printed).toEqual([
      'config: DATABASE_URL is required when NODE_ENV=production (postgresql://user:password@host:port/database)\n',
    ]);

    const production = loadEnv(baseServiceEnv, {
      ...minimalEnv,
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://app:pw@db:5432/switchboard',
    });
    expect(production.DATABASE_URL).toBe('postgresql://app:pw@db:5432/switchboard');
  });

  it('P4.2 never echoes the value of a sensitive variable', () => {
    failureOf({ ...minimalEnv, DATABASE_URL: 'mysql://root:hunter2@db/x' });

    expect(printed).toEqual(['config: DATABASE_URL must be a postgres:// or postgresql:// URL, value hidden\n']);
    expect(printed.join('')).not.toContain('hunter2');
  });

  it('P4.2 hides values of variables whose names suggest secrets', () => {
    const schema = baseServiceEnv.extend({ CRM_CLIENT_SECRET_MIN_LENGTH: envInt({ min: 8 }) });

    failureOf({ ...minimalEnv, CRM_CLIENT_SECRET_MIN_LENGTH: 'hunter2' }, schema);

    expect(printed).toEqual(['config: CRM_CLIENT_SECRET_MIN_LENGTH must be an integer >= 8, value hidden\n']);
  });

  it('P2.4 takes a 32-byte base64 encryption key, marked sensitive so that deployments keep it in their secret store', () => {
    const schema = baseServiceEnv.extend({ SEALING_KEY: envEncryptionKey() });

    failureOf({ ...minimalEnv, SEALING_KEY: Buffer.alloc(16, 1).toString('base64') }, schema);

    expect(printed).toEqual(['config: SEALING_KEY must be 32 bytes, base64-encoded, value hidden\n']);
    expect(isSensitiveEnv(schema, 'SEALING_KEY')).toBe(true);
    expect(isSensitiveEnv(schema, 'DATABASE_URL')).toBe(true);
    expect(isSensitiveEnv(schema, 'KAFKA_BROKERS')).toBe(false);
    expect(loadEnv(schema, { ...minimalEnv, SEALING_KEY: Buffer.alloc(32, 1).toString('base64') }).SEALING_KEY).toBe(Buffer.alloc(32, 1).toString('base64'));
  });

  it('P4.2 validates variables a service adds by extending the base schema', () => {
    const schema = baseServiceEnv.extend({
      DELIVERY_BATCH_SIZE: envInt({ min: 1, max: 1000 }).default(50),
      REGION: z.string().regex(/^[a-z]+-\d$/),
    });

    expect(loadEnv(schema, { ...minimalEnv, REGION: 'eu-1' })).toMatchObject({ DELIVERY_BATCH_SIZE: 50, REGION: 'eu-1' });

    failureOf({ ...minimalEnv, DELIVERY_BATCH_SIZE: '5000', REGION: 'Europe' }, schema);
    expect(printed).toEqual([
      'config: DELIVERY_BATCH_SIZE must be an integer 1-1000, got "5000"\n',
      'config: REGION is invalid (Invalid string: must match pattern /^[a-z]+-\\d$/), got "Europe"\n',
    ]);
  });

  it('P4.2 ConfigError carries every problem in its message', () => {
    const error = failureOf({ PORT: 'x' });

    expect(error.message).toContain('PORT must be an integer 0-65535, got "x"');
    expect(error.message).toContain('KAFKA_BROKERS is required');
  });

  it('P4.2 takes defaults from the caller (e.g. the service manifest) where the environment sets nothing', () => {
    expect(loadConfig(baseServiceEnv, { env: { KAFKA_BROKERS: 'k:1' }, defaults: { PORT: 3005 } }).PORT).toBe(3005);
    expect(loadConfig(baseServiceEnv, { env: { KAFKA_BROKERS: 'k:1', PORT: '4005' }, defaults: { PORT: 3005 } }).PORT).toBe(4005);

    // A default is validated like the environment would be.
    expect(() => loadConfig(baseServiceEnv, { env: { KAFKA_BROKERS: 'k:1' }, defaults: { PORT: 70_000 } })).toThrow(ConfigError);
    expect(printed).toEqual(['config: PORT must be an integer 0-65535, got "70000"\n']);
  });

  it('P2.3 reads rate budgets as <requests>/<period> or off, and names the rule when wrong', () => {
    const schema = z.object({ RATE: envRate() });
    expect(loadEnv(schema, { RATE: '600/1m' }).RATE).toEqual({ limit: 600, periodMs: 60_000 });
    expect(loadEnv(schema, { RATE: '5/s' }).RATE).toEqual({ limit: 5, periodMs: 1_000 });
    expect(loadEnv(schema, { RATE: 'off' }).RATE).toBe(false);

    for (const bad of ['600', '0/1m', '10/0s', 'lots/1m']) {
      printed = [];
      failureOf({ RATE: bad }, schema);
      expect(printed).toEqual([`config: RATE must be <requests>/<period> such as 600/1m or 100/10s, or off, got "${bad}"\n`]);
    }
  });

  it('P2.3 converts body sizes to bytes as documented (1kb = 1024)', () => {
    expect(byteSize('256kb')).toBe(262_144);
    expect(byteSize('1.5 MB')).toBe(1_572_864);
    expect(byteSize('100')).toBe(100);
    expect(() => byteSize('lots')).toThrow('not a size');
  });
});

describe('service configuration classes (issue 6.7)', () => {
  const exampleEnv = baseServiceEnv.extend({ BATCH_SIZE: envInt({ min: 1 }).default(20) });
  class ExampleConfig extends serviceConfigClass(exampleEnv) {}

  it('P4.2 loads into an instance of the service class that is also a ServiceConfig, frozen', () => {
    const config = ExampleConfig.load({ env: { ...minimalEnv, BATCH_SIZE: '7' } });

    expect(config).toBeInstanceOf(ExampleConfig);
    expect(config).toBeInstanceOf(ServiceConfig);
    expect(config.BATCH_SIZE).toBe(7);
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(Object.isFrozen(config)).toBe(true);
    expect(ExampleConfig.schema).toBe(exampleEnv);
  });

  it('P4.2 prints one line per bad variable and throws, like loadConfig', () => {
    expect(() => ExampleConfig.load({ env: { ...minimalEnv, BATCH_SIZE: '0' } })).toThrow(ConfigError);
    expect(printed).toEqual(['config: BATCH_SIZE must be an integer >= 1, got "0"\n']);
  });
});
