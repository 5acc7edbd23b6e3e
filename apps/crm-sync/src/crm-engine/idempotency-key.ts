import { createHash } from 'node:crypto';
import type { CrmMethod } from './crm-endpoint';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** Which calls carry the key unless the endpoint's settings say otherwise: the ones that create or change something. */
export function sendsIdempotencyKeyByDefault(method: CrmMethod): boolean {
  return method === 'POST' || method === 'PATCH';
}

/** What one CRM call of a session flow is: the same on every try of its step, different for any other call. */
export interface CrmCallIdentity {
  tenantId: string;
  sessionId: string;
  /** The step's name within the session (`account`, `record`, `comment/csat/…`, `upload/<file>`). */
  step: string;
  endpoint: string;
}

/**
 * The Idempotency-Key of a CRM call: a hash of tenant, session, step and endpoint, so that a try repeated after a
 * crash cut off the answer is recognised by a CRM that honours the header, and nothing of the session leaks in it.
 */
export function crmIdempotencyKey({ tenantId, sessionId, step, endpoint }: CrmCallIdentity): string {
  return createHash('sha256').update(JSON.stringify([tenantId, sessionId, step, endpoint])).digest('base64url');
}
