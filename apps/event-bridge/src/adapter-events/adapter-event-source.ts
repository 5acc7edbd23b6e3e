import type { AdapterEventIngresses } from '@switchboard/contracts';

export type AdapterEventIngress = (typeof AdapterEventIngresses)[number];

/** Who sent a request's events: its tenant and way in, and for an agent's page, the agent its token names. */
export interface AdapterEventSource {
  tenantId: string;
  ingress: AdapterEventIngress;
  /** The bearer token's subject (ingress `agent` only): never taken from the body (EB1.1 a). */
  agentId?: string;
  correlationId?: string;
}
