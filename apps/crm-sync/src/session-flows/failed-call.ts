import { JobFailedPermanently, RetryJobLater } from '@switchboard/jobs';
import { type CrmRetryPolicy, retryDecision } from '../crm-calls/retry-policy';
import type { CrmCallResult } from '../crm-engine/crm-engine.service';
import type { CrmEndpointKind } from '../crm-engine/crm-endpoint';

/**
 * A failed CRM call ends the job's try: retried later or failed for good, per the tenant's policy (CS2.8),
 * counted from the job's first schedule.
 */
export function throwForFailedCall(
  policy: CrmRetryPolicy,
  endpoint: CrmEndpointKind,
  result: Extract<CrmCallResult, { outcome: 'failed' }>,
  job: { attempts: number; createdAt: Date },
  now: Date,
): never {
  const decision = retryDecision(policy, { status: result.status, retryAfter: result.retryAfter }, job.attempts, job.createdAt, now);
  if (decision.retry) throw new RetryJobLater(`${endpoint}: ${result.error}`, decision.delayMs);
  throw new JobFailedPermanently(`${endpoint}: ${result.error}; ${decision.reason}`);
}
