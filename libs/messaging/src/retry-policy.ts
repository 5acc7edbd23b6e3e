/** Bounded retry with exponential back-off, defined once and used by every consumer (P3.3). */
export interface RetryPolicy {
  /** Total tries of one message, the first included, before it is parked in the DLQ. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, initialDelayMs: 200, maxDelayMs: 5_000 };

/** Delay before try number `attempt + 1`, doubling each time and capped. */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
}
