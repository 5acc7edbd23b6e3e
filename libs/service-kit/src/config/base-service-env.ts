import { z } from 'zod';
import {
  envBool,
  envByteSize,
  envEnum,
  envHostPortList,
  envInt,
  envList,
  envPort,
  envString,
  envUrl,
} from './env-schemas';

/** The developer machine's Postgres (trust auth); production must name its own. */
export const LOCAL_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/switchboard';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Variables every service reads. A service adds its own with
 * `baseServiceEnv.extend({ MY_VAR: envInt().default(5) })` and loads the result with `loadConfig`.
 */
export const baseServiceEnv = z.object({
  NODE_ENV: envEnum(['development', 'test', 'production']).default('development'),
  PORT: envPort({ description: 'TCP port for the HTTP API' }),
  HOST: envString().default('0.0.0.0'),
  DATABASE_URL: envUrl(
    { protocols: ['postgres', 'postgresql'] },
    { description: 'postgresql://user:password@host:port/database', sensitive: true, requiredInProduction: true },
  ).default(LOCAL_DATABASE_URL),
  KAFKA_BROKERS: envHostPortList({ description: 'comma-separated host:port list' }),
  KAFKA_CLIENT_ID: envString().optional(),
  // Defaults to the service name; a test stack sharing a broker with another sets its own.
  KAFKA_CONSUMER_GROUP: envString().optional(),
  // Off by default: the local mock cluster cannot run kafkajs' idempotent producer.
  KAFKA_IDEMPOTENT_PRODUCER: envBool().default(false),
  // Small, because the mock cluster does not long-poll: every fetch waits this long.
  KAFKA_CONSUMER_MAX_WAIT_MS: envInt({ min: 0 }).default(100),
  KAFKA_SESSION_TIMEOUT_MS: envInt({ min: 1 }).default(10_000),
  LOG_LEVEL: envEnum(LOG_LEVELS).default('info'),
  PUBLIC_BASE_URL: envUrl().optional(),
  AUTH_ISSUERS: envList().default([]),
  AUTH_AUDIENCE: envString().default('api://switchboard'),
  AUTH_JWKS_URL: envUrl().optional(),
  AUTH_DEV_ISSUER_ENABLED: envBool().default(false),
  SHUTDOWN_GRACE_MS: envInt({ min: 0 }).default(10_000),
  HTTP_BODY_LIMIT: envByteSize().default('256kb'),
});

export type BaseServiceEnv = z.infer<typeof baseServiceEnv>;
