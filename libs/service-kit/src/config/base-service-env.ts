import { z } from 'zod';
import {
  envBool,
  envByteSize,
  envEnum,
  envHostPortList,
  envInt,
  envList,
  envPort,
  envRate,
  envString,
  envUrl,
} from './env-schemas';

/** The developer machine's Postgres (trust auth); production must name its own. */
export const LOCAL_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/switchboard';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Bearer-token authentication (P1.2, P1.5); read by @switchboard/auth from the injected configuration. */
const authEnv = {
  AUTH_ISSUERS: envList().default([]),
  AUTH_AUDIENCE: envString().default('api://switchboard'),
  AUTH_JWKS_URL: envUrl().optional(),
  AUTH_PUBLIC_KEYS: envString({ description: 'a JWKS JSON document or PEM public keys' }).optional(),
  AUTH_ALLOWED_TENANTS: envList({ pattern: GUID, rule: 'a comma-separated list of tenant GUIDs' }).default([]),
  AUTH_CLOCK_TOLERANCE_SEC: envInt({ min: 0, max: 600 }).default(60),
  AUTH_DEV_ISSUER_ENABLED: envBool().default(false),
  AUTH_DEV_KEYS_DIR: envString().optional(),
  // Verified tokens whose claims are kept until they expire; 0 verifies every request again.
  AUTH_TOKEN_CACHE_SIZE: envInt({ min: 0, max: 1_000_000 }).default(10_000),
};

/** The HTTP platform's limits (P2.3): bodies, JSON depth, slow clients, rate budgets. */
const httpEnv = {
  HTTP_BODY_LIMIT: envByteSize().default('256kb'),
  HTTP_JSON_MAX_DEPTH: envInt({ min: 1, max: 1_000 }).default(64),
  // A client must have sent every header within this time, and the whole request within the next.
  HTTP_HEADERS_TIMEOUT_MS: envInt({ min: 100, max: 600_000 }).default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: envInt({ min: 100, max: 3_600_000 }).default(30_000),
  // Longer than the idle timeout of common load balancers (60 s), so they close first.
  HTTP_KEEP_ALIVE_TIMEOUT_MS: envInt({ min: 100, max: 600_000 }).default(72_000),
  // Whose X-Forwarded-For to believe for the client address: true, a hop count, or addresses/CIDRs.
  HTTP_TRUST_PROXY: envString().optional(),
  RATE_LIMIT_PER_ADDRESS: envRate().default({ limit: 1_000, periodMs: 10_000 }),
  RATE_LIMIT_PER_TENANT: envRate().default({ limit: 1_000, periodMs: 10_000 }),
  RATE_LIMIT_FAILED_AUTH_PER_ADDRESS: envRate().default({ limit: 60, periodMs: 60_000 }),
  // When set, /metrics is served on this port only (404 on the API port).
  METRICS_PORT: envPort().optional(),
  METRICS_HOST: envString().optional(),
};

/**
 * Variables every service reads. A service adds its own with
 * `baseServiceEnv.extend({ MY_VAR: envInt().default(5) })` and a configuration class around it
 * (`serviceConfigClass`).
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
  ...authEnv,
  SHUTDOWN_GRACE_MS: envInt({ min: 0 }).default(10_000),
  // How often each replica looks for due durable jobs (libs/jobs); 0 runs none in the background.
  JOBS_POLL_INTERVAL_MS: envInt({ min: 0 }).default(250),
  ...httpEnv,
});

export type BaseServiceEnv = z.infer<typeof baseServiceEnv>;
