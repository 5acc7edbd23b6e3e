import { baseServiceEnv, envEncryptionKey, envInt, envList, serviceConfigClass } from '@switchboard/service-kit';

export const eventBridgeEnv = baseServiceEnv.extend({
  SECRETS_ENCRYPTION_KEY: envEncryptionKey(),
  /** A signed adapter-event post whose timestamp is further than this from now is refused as a replay (P1.4). */
  ADAPTER_EVENT_SIGNATURE_TOLERANCE_SEC: envInt({ min: 1, max: 3_600 }).default(300),
  /**
   * How long an opened tenant secret is reused from memory (0: read and decrypt it on every request). A secret
   * replaced through another replica still verifies here for at most this long; the new one works at once.
   */
  TENANT_SECRET_CACHE_SEC: envInt({ min: 0, max: 300 }).default(10),
  /** Origins of the CRM pages that run /sdk/agent-bridge.js and so call the agent endpoints across origins (CORS). */
  AGENT_PAGE_ORIGINS: envList({ pattern: /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, rule: 'a comma-separated list of origins such as https://crm.example.com' }).default([]),
  // Agent streams (EB3.1), counted by each replica for itself: a few tabs per agent, a ceiling per tenant.
  AGENT_STREAM_MAX_PER_AGENT: envInt({ min: 1, max: 100 }).default(5),
  AGENT_STREAM_MAX_PER_TENANT: envInt({ min: 1, max: 1_000_000 }).default(5_000),
  // A comment line this often keeps proxies and load balancers from closing a quiet stream.
  AGENT_STREAM_HEARTBEAT_MS: envInt({ min: 100, max: 300_000 }).default(15_000),
});

/** The service's validated environment, injected by class. */
export class EventBridgeConfig extends serviceConfigClass(eventBridgeEnv) {}
