import { baseServiceEnv, envInt, envList, serviceConfigClass } from '@switchboard/service-kit';
import { z } from 'zod';

export const eventBridgeEnv = baseServiceEnv.extend({
  SECRETS_ENCRYPTION_KEY: z.base64().refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded'),
  /** A signed adapter-event post whose timestamp is further than this from now is refused as a replay (P1.4). */
  ADAPTER_EVENT_SIGNATURE_TOLERANCE_SEC: envInt({ min: 1, max: 3_600 }).default(300),
  /** Origins of the CRM pages that run /sdk/agent-bridge.js and so call the agent endpoints across origins (CORS). */
  AGENT_PAGE_ORIGINS: envList({ pattern: /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, rule: 'a comma-separated list of origins such as https://crm.example.com' }).default([]),
});

/** The service's validated environment, injected by class. */
export class EventBridgeConfig extends serviceConfigClass(eventBridgeEnv) {}
