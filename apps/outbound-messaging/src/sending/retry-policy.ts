import { ProviderSendError } from '../providers/messaging-provider';
import { ProviderConfigurationError } from '../providers/provider-factory';

export interface RetrySettings {
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

/** What becomes of a message whose send failed. */
export type FailureDecision =
  | { kind: 'retry'; delayMs: number; errorCode?: string; errorMessage: string; senderBackoffMs?: number }
  | { kind: 'fail'; errorCode?: string; errorMessage: string };

/**
 * A failed send (OM3.3): the provider's refusal fails the message at once; a transient failure (429,
 * 5xx, the network) is retried after the provider's Retry-After or an exponential back-off, until the
 * attempts are used up. A 429 also holds back the whole sender for that long (its throughput is exceeded).
 */
export function decideFailure(error: unknown, attempts: number, settings: RetrySettings): FailureDecision {
  const errorCode = error instanceof ProviderSendError ? error.providerCode : undefined;
  const errorMessage = (error instanceof Error ? error.message : String(error)).slice(0, 1_000);
  if (error instanceof ProviderConfigurationError) return { kind: 'fail', errorCode: 'provider-configuration', errorMessage };
  if (error instanceof ProviderSendError && !error.retryable) return { kind: 'fail', ...(errorCode && { errorCode }), errorMessage };
  if (attempts >= settings.maxAttempts) return { kind: 'fail', ...(errorCode && { errorCode }), errorMessage: `gave up after ${attempts} attempts: ${errorMessage}`.slice(0, 1_000) };
  const backoff = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** Math.max(0, attempts - 1));
  const retryAfter = error instanceof ProviderSendError ? error.retryAfterMs : undefined;
  return { kind: 'retry', delayMs: retryAfter ?? backoff, ...(errorCode && { errorCode }), errorMessage, ...(retryAfter !== undefined && { senderBackoffMs: retryAfter }) };
}
