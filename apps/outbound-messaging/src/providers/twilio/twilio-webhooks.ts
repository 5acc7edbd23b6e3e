import twilio from 'twilio';
import type { ProviderDeliveryReport, ProviderDeliveryStatus, ProviderInboundMessage } from '../messaging-provider';
import { accepted, ignored, rejected, type WebhookReading } from '../webhook-reading';

/** A webhook request as Twilio sent it. */
export interface TwilioWebhookRequest {
  /**
   * The exact public URL Twilio called (scheme, host, port, path and query as configured in the
   * StatusCallback or the number's webhook), not the URL as seen behind a proxy: it is part of the signature.
   */
  url: string;
  /** The `X-Twilio-Signature` header. */
  signature: string | string[] | undefined;
  /** The form-encoded POST parameters. */
  params: Record<string, string | string[]>;
}

/**
 * Checks `X-Twilio-Signature` with the SDK's own `validateRequest` (HMAC-SHA1 over the URL and the sorted
 * parameters with the auth token). A missing or forged signature, other parameters, or the same request
 * replayed to another URL are refused.
 */
export function verifyTwilioRequest(authToken: string, request: TwilioWebhookRequest): string | undefined {
  const signature = Array.isArray(request.signature) ? request.signature[0] : request.signature;
  if (!signature) return 'the X-Twilio-Signature header is missing';
  if (!twilio.validateRequest(authToken, signature, request.url, request.params)) return 'the X-Twilio-Signature does not match this URL and these parameters';
  return undefined;
}

const FINAL_STATUSES: Record<string, ProviderDeliveryStatus> = {
  sent: 'sent',
  delivered: 'delivered',
  // WhatsApp reports "read" after "delivered": it is delivered.
  read: 'delivered',
  failed: 'failed',
  undelivered: 'undelivered',
  canceled: 'failed',
};

/** Twilio's delivery error codes most often seen, worded (https://www.twilio.com/docs/api/errors). */
const ERROR_MESSAGES: Record<string, string> = {
  '21610': 'the recipient has unsubscribed (replied STOP)',
  '30003': 'unreachable destination handset',
  '30004': 'message blocked',
  '30005': 'unknown destination handset',
  '30006': 'landline or unreachable carrier',
  '30007': 'message filtered by the carrier',
  '30008': 'unknown error',
};

/** A verified status callback as a delivery report; queued/accepted/sending are ignored (nothing to record). */
export function readTwilioStatusCallback(authToken: string, request: TwilioWebhookRequest, receivedAt: Date): WebhookReading<ProviderDeliveryReport> {
  const refusal = verifyTwilioRequest(authToken, request);
  if (refusal) return rejected(403, refusal);
  const messageSid = single(request.params['MessageSid']) ?? single(request.params['SmsSid']);
  const twilioStatus = single(request.params['MessageStatus']) ?? single(request.params['SmsStatus']);
  if (!messageSid || !twilioStatus) return rejected(400, 'a status callback needs MessageSid and MessageStatus');
  const status = FINAL_STATUSES[twilioStatus];
  if (!status) return ignored(`status ${twilioStatus} needs no update`);
  const errorCode = single(request.params['ErrorCode']) || undefined;
  return accepted({
    providerMessageId: messageSid,
    status,
    ...(errorCode ? { errorCode, errorMessage: ERROR_MESSAGES[errorCode] ?? `Twilio error ${errorCode}` } : {}),
    ...(twilioStatus === 'canceled' ? { errorMessage: 'the message was canceled before it was sent' } : {}),
    occurredAt: receivedAt,
  });
}

/** A verified inbound message (SMS or WhatsApp) as a ProviderInboundMessage. */
export function readTwilioInbound(authToken: string, request: TwilioWebhookRequest, receivedAt: Date): WebhookReading<ProviderInboundMessage> {
  const refusal = verifyTwilioRequest(authToken, request);
  if (refusal) return rejected(403, refusal);
  const [sid, from, to] = [single(request.params['MessageSid']), single(request.params['From']), single(request.params['To'])];
  if (!sid || !from || !to) return rejected(400, 'an inbound message needs MessageSid, From and To');
  const whatsapp = from.startsWith('whatsapp:');
  return accepted({
    providerMessageId: sid,
    channel: whatsapp ? 'whatsapp' : 'sms',
    from: from.replace(/^whatsapp:/, ''),
    to: to.replace(/^whatsapp:/, ''),
    body: single(request.params['Body']) ?? '',
    receivedAt,
  });
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
