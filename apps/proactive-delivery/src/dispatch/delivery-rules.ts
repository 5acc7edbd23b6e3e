import { DeliveryStatus, DialOutcome } from '@switchboard/contracts';
import { nextPermittedInstant, UtcInterval } from '@switchboard/contact-time';
import { RetryableOutcome } from '../configurations/configuration.schema';

export interface RetryPolicy {
  maxAttempts: number;
  retryIntervalsSeconds: Readonly<Record<RetryableOutcome, number>>;
}

export type OutcomeDecision =
  | { status: Extract<DeliveryStatus, 'Completed' | 'Failed' | 'Expired'>; reason: string }
  | { status: 'Retrying'; nextAttemptAt: Date };

/**
 * What an attempt's outcome does to its delivery (PD4.4): answered completes it; otherwise it is
 * retried after the outcome's interval, at the next permitted instant, until attempts run out
 * (Failed) or no permitted time is left (Expired).
 */
export function decideAfterOutcome(input: {
  outcome: DialOutcome;
  attemptsMade: number;
  policy: RetryPolicy;
  permitted: readonly UtcInterval[];
  now: Date;
}): OutcomeDecision {
  const { outcome, attemptsMade, policy, permitted, now } = input;
  if (outcome === 'answered') return { status: 'Completed', reason: 'answered' };
  if (attemptsMade >= policy.maxAttempts) {
    return { status: 'Failed', reason: `maximum of ${policy.maxAttempts} attempts reached; last outcome ${outcome}` };
  }
  const retryAt = new Date(now.getTime() + policy.retryIntervalsSeconds[outcome] * 1_000);
  const nextAttemptAt = nextPermittedInstant(permitted, retryAt);
  if (!nextAttemptAt) return { status: 'Expired', reason: `no permitted time left for a retry after ${outcome}` };
  return { status: 'Retrying', nextAttemptAt };
}

export interface FrequencyCapRule {
  maxAttempts: number;
  periodHours: number;
}

/**
 * When the number may be called again under every cap that applies (the tenant's, and the
 * configuration's own if it has one): each cap holds over its own rolling period.
 * `attemptStarts` are the number's attempt start times, oldest first.
 */
export function capsFreeAt(caps: readonly FrequencyCapRule[], attemptStarts: readonly Date[], now: Date): Date {
  let freeAt = now;
  for (const cap of caps) {
    const periodMs = cap.periodHours * 3_600_000;
    const inPeriod = attemptStarts.filter((start) => start.getTime() > now.getTime() - periodMs);
    if (inPeriod.length < cap.maxAttempts) continue;
    const blocking = inPeriod[inPeriod.length - cap.maxAttempts] as Date;
    const capFreeAt = new Date(blocking.getTime() + periodMs);
    if (capFreeAt > freeAt) freeAt = capFreeAt;
  }
  return freeAt;
}
