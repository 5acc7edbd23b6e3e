import { baseServiceEnv, envBool, envInt, envString, envUrl, serviceConfigClass } from '@switchboard/service-kit';

export const proactiveDeliveryEnv = baseServiceEnv.extend({
  /** How often the dispatcher looks for due deliveries when nobody wakes it. */
  DISPATCH_POLL_MS: envInt({ min: 10, max: 60_000 }).default(500),
  /** Due deliveries one dispatcher claims per round. */
  DISPATCH_BATCH_SIZE: envInt({ min: 1, max: 500 }).default(20),
  /** A claimed delivery whose outcome has not arrived by then is dialed again with the same attempt id. */
  DIAL_LEASE_SECONDS: envInt({ min: 5, max: 3_600 }).default(120),
  /** Dial requests per attempt before the attempt counts as failed. */
  DIAL_MAX_REQUESTS_PER_ATTEMPT: envInt({ min: 1, max: 10 }).default(3),
  /** Tenant defaults until an administrator sets them (PUT /proactive/settings). */
  DEFAULT_FREQUENCY_CAP_ATTEMPTS: envInt({ min: 1, max: 100 }).default(3),
  DEFAULT_FREQUENCY_CAP_PERIOD_HOURS: envInt({ min: 1, max: 720 }).default(24),
  DEFAULT_IDEMPOTENCY_PERIOD_SECONDS: envInt({ min: 0, max: 86_400 }).default(600),
  /** The deterministic simulator (PD4.3); on unless disabled, and off in production unless enabled. */
  VOICE_SIMULATOR_ENABLED: envBool().optional(),
  VOICE_SIMULATOR_OUTCOME_DELAY_MS: envInt({ min: 0, max: 600_000 }).default(1_000),
  /** The signed-HTTP voice runtime: where dial requests go, and the HMAC secrets both ways. */
  VOICE_HTTP_URL: envUrl({ protocols: ['http', 'https'] }).optional(),
  VOICE_HTTP_SIGNING_SECRET: envString({ sensitive: true }).optional(),
  VOICE_WEBHOOK_SECRET: envString({ sensitive: true }).optional(),
  VOICE_HTTP_TIMEOUT_MS: envInt({ min: 100, max: 60_000 }).default(5_000),
});

/** The service's validated environment, injected by class. */
export class ProactiveDeliveryConfig extends serviceConfigClass(proactiveDeliveryEnv) {}
