/** CS2.8: which failed CRM calls are tried again, and when. A tenant setting; `source` is the default. */
export const CRM_RETRY_POLICIES = ['source', 'standard'] as const;
export type CrmRetryPolicy = (typeof CRM_RETRY_POLICIES)[number];

/** What a failed call left to decide on: its HTTP status (none for network errors, timeouts, refusals) and Retry-After. */
export interface CrmCallFailure {
  status?: number;
  retryAfter?: string;
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * The source's policy: a 400 is retried with exponential back-off, ever less often (1 min, 2, 4, … up to one
 * day between tries), for up to one week after the step was first scheduled; nothing else is retried.
 */
export const SOURCE_POLICY = { initialDelayMs: MINUTE, maxDelayMs: DAY, giveUpAfterMs: 7 * DAY } as const;

/** The standard policy: 408, 429, 5xx and network failures, 5 s doubling to 10 min, Retry-After honoured, for up to one day. */
export const STANDARD_POLICY = { initialDelayMs: 5 * SECOND, maxDelayMs: 10 * MINUTE, giveUpAfterMs: DAY } as const;

/**
 * Whether a step whose CRM call failed is tried again, and after how long. `attempt` counts the step's
 * tries so far (1 after the first); `firstScheduledAt` bounds the whole retry period.
 */
export function retryDecision(policy: CrmRetryPolicy, failure: CrmCallFailure, attempt: number, firstScheduledAt: Date, now: Date): RetryDecision {
  const limits = policy === 'source' ? SOURCE_POLICY : STANDARD_POLICY;
  if (!isRetried(policy, failure.status)) {
    return { retry: false, reason: `${describe(failure)} is not retried under the ${policy} policy (CS2.8)` };
  }
  const backOff = Math.min(limits.maxDelayMs, limits.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  const requested = policy === 'standard' ? retryAfterMs(failure.retryAfter, now) : undefined;
  const delayMs = Math.max(backOff, requested ?? 0);
  if (now.getTime() + delayMs > firstScheduledAt.getTime() + limits.giveUpAfterMs) {
    return { retry: false, reason: `${describe(failure)}; given up after retrying for ${limits.giveUpAfterMs / DAY} day(s) under the ${policy} policy (CS2.8)` };
  }
  return { retry: true, delayMs };
}

function isRetried(policy: CrmRetryPolicy, status: number | undefined): boolean {
  if (policy === 'source') return status === 400;
  return status === undefined || status === 408 || status === 429 || status >= 500;
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * SECOND;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

function describe(failure: CrmCallFailure): string {
  return failure.status === undefined ? 'a call that got no answer' : `an answer ${failure.status}`;
}
