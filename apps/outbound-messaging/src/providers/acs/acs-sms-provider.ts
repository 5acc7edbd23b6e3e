import { SmsClient, type SmsSendResult } from '@azure/communication-sms';
import { isRestError } from '@azure/core-rest-pipeline';
import { findOutboundError, type OutboundHttpClient } from '@switchboard/outbound-http';
import { type MessagingProvider, type OutgoingMessage, ProviderSendError, type SentMessage } from '../messaging-provider';
import { retryAfterMs } from '../retry-after';
import { GuardedAzureHttpClient } from './guarded-azure-http-client';
import { stableRepeatabilityPolicy, withRepeatabilityFirstSent } from './repeatability-policy';

export interface AcsProviderSettings {
  /** `endpoint=https://<resource>.communication.azure.com/;accesskey=<base64>` (http only for the simulator). */
  connectionString: string;
}

/**
 * SMS through Azure Communication Services with the official `@azure/communication-sms` SDK (OM3.4): requests
 * HMAC-SHA256 signed by the SDK, delivery reports requested (they arrive as Event Grid events, tagged with our
 * clientReference), with a repeatabilityRequestId stable per message and the first attempt's time as
 * repeatabilityFirstSent, so a repeated send is not sent twice. The SDK's own retries are off: a throttled or failed send goes back to our durable jobs
 * with its Retry-After, instead of holding a worker.
 */
export class AcsSmsProvider implements MessagingProvider {
  readonly kind = 'acs' as const;
  private readonly client: SmsClient;

  constructor(settings: AcsProviderSettings, http: OutboundHttpClient) {
    const endpoint = /endpoint=([^;]+)/i.exec(settings.connectionString)?.[1] ?? '';
    this.client = new SmsClient(settings.connectionString, {
      httpClient: new GuardedAzureHttpClient(http),
      retryOptions: { maxRetries: 0 },
      additionalPolicies: [{ policy: stableRepeatabilityPolicy, position: 'perCall' }],
      allowInsecureConnection: endpoint.startsWith('http://'),
    });
  }

  async send(message: OutgoingMessage): Promise<SentMessage> {
    if (message.channel !== 'sms') throw new ProviderSendError('Azure Communication Services SMS sends SMS only, not WhatsApp', { retryable: false, providerCode: 'channel-not-supported' });
    if (!message.body) throw new ProviderSendError('an SMS needs a body', { retryable: false, providerCode: 'empty-message' });
    let results: SmsSendResult[];
    try {
      const request = { from: message.from, to: [message.to], message: message.body };
      results = await withRepeatabilityFirstSent(message.firstAttemptAt ?? new Date(), () => this.client.send(request, { enableDeliveryReport: true, tag: message.clientReference }));
    } catch (error) {
      throw acsSendError(error);
    }
    return acsRecipientOutcome(results[0]);
  }
}

/** The one recipient's result: its message id, or a ProviderSendError by its own status code. */
export function acsRecipientOutcome(result: SmsSendResult | undefined): SentMessage {
  if (!result) throw new ProviderSendError('Azure Communication Services answered without a result for the recipient', { retryable: true, providerCode: 'no-result' });
  if (result.successful && result.messageId) return { providerMessageId: result.messageId, status: 'queued' };
  const status = result.httpStatusCode;
  if (status === 412) {
    // The first attempt is older than ACS's tracking window: whether it went out cannot be told, so it is not sent again.
    throw new ProviderSendError(`Azure Communication Services no longer tracks this message's first attempt (412): ${result.errorMessage ?? 'first sent outside the tracking window'}; not sent again`, { retryable: false, providerCode: 'repeatability-expired' });
  }
  throw failWith(`Azure Communication Services refused the recipient (HTTP ${status}): ${result.errorMessage ?? 'no reason given'}`, status, String(status));
}

/** A whole-request failure (RestError from the SDK, or a transport error) as a ProviderSendError. */
export function acsSendError(error: unknown): ProviderSendError {
  const transport = findOutboundError(error);
  if (transport) {
    return new ProviderSendError(`Azure Communication Services could not be reached: ${transport.message}`, {
      retryable: transport.kind === 'timeout' || transport.kind === 'network',
      providerCode: `transport:${transport.kind}`,
      cause: error,
    });
  }
  if (isRestError(error) && error.statusCode !== undefined) {
    const retryAfter = retryAfterMs(error.response?.headers.get('retry-after') ?? undefined);
    const code = error.code ?? String(error.statusCode);
    return failWith(`Azure Communication Services refused the message (HTTP ${error.statusCode}, ${code}): ${error.message}`, error.statusCode, code, retryAfter, error);
  }
  return new ProviderSendError(`Azure Communication Services send failed: ${error instanceof Error ? error.message : String(error)}`, { retryable: true, cause: error });
}

function failWith(message: string, status: number, providerCode: string, retryAfter?: number, cause?: unknown): ProviderSendError {
  const throttled = status === 429;
  return new ProviderSendError(message, { retryable: throttled || status >= 500, retryAfterMs: throttled ? retryAfter : undefined, providerCode, cause });
}
