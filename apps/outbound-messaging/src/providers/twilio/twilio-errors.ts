import { OutboundHttpError } from '@switchboard/outbound-http';
import { ProviderSendError } from '../messaging-provider';

/** What a failed Twilio call tells us: the SDK's RestException fields, or a transport error. */
interface TwilioFailure {
  status?: number;
  code?: number;
  message?: string;
}

/** 4xx codes that mean "not now" rather than "never": 21611, the sender's queue of pending messages is full. */
const RETRYABLE_CODES = new Set(['21611']);

/**
 * A failed Twilio send as a ProviderSendError: 429 (code 20429) → retryable after Retry-After; 5xx and
 * transport failures (timeouts, resets) and 21611 (queue full) → retryable; any other 4xx (21211 invalid number, 21610 unsubscribed
 * recipient, 20003 authentication…) → final, with Twilio's code.
 */
export function twilioSendError(error: unknown, retryAfterMs?: number): ProviderSendError {
  if (error instanceof ProviderSendError) return error;
  if (error instanceof OutboundHttpError) {
    const retryable = error.kind === 'timeout' || error.kind === 'network';
    // A timeout or reset may come after Twilio took the message; a refused connection or a blocked address never reached it.
    return new ProviderSendError(`Twilio could not be reached: ${error.message}`, { retryable, providerCode: `transport:${error.kind}`, mayHaveBeenAccepted: retryable, cause: error });
  }
  const failure = (error ?? {}) as TwilioFailure;
  const status = typeof failure.status === 'number' ? failure.status : undefined;
  const code = failure.code === undefined ? undefined : String(failure.code);
  const message = `Twilio refused the message${status ? ` (HTTP ${status}${code ? `, error ${code}` : ''})` : ''}: ${failure.message ?? String(error)}`;
  if (status === undefined) return new ProviderSendError(message, { retryable: true, providerCode: code, mayHaveBeenAccepted: true, cause: error });
  const throttled = status === 429 || code === '20429';
  return new ProviderSendError(message, {
    retryable: throttled || status >= 500 || (code !== undefined && RETRYABLE_CODES.has(code)),
    retryAfterMs: throttled ? retryAfterMs : undefined,
    providerCode: code ?? `http:${status}`,
    mayHaveBeenAccepted: status >= 500,
    cause: error,
  });
}
