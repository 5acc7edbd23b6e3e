/**
 * The one interface every channel provider (Twilio, Azure Communication Services, the simulator)
 * implements (OM3.4). Sending code depends only on this file.
 */

export type MessagingChannel = 'sms' | 'whatsapp';

export interface OutgoingMessage {
  channel: MessagingChannel;
  /** The sender: a phone number (E.164), a messaging service id, or a WhatsApp sender. */
  from: string;
  /** The recipient's phone number (E.164). */
  to: string;
  /** Rendered text; absent when a WhatsApp approved template is sent instead. */
  body?: string;
  /** A WhatsApp approved template: the provider's template id and its variables. */
  whatsappTemplate?: { id: string; variables: Record<string, string> };
  /** Where the provider should post delivery reports for this message (when it supports per-message callbacks). */
  statusCallbackUrl?: string;
  /** Our own id for the message, passed to providers that echo it back (idempotency / correlation). */
  clientReference: string;
  /**
   * When this message was first handed to the provider in the attempts whose outcome is not settled yet (the
   * first of them is this one, unless an earlier one is in doubt): ACS's Repeatability-First-Sent.
   */
  firstAttemptAt?: Date;
}

/** A message the provider holds that may be an earlier, unconfirmed attempt of ours (in-doubt reconciliation). */
export interface ProviderMessageMatch {
  providerMessageId: string;
  createdAt: Date;
}

export interface SentMessage {
  providerMessageId: string;
  status: 'queued' | 'sent';
}

export interface MessagingProvider {
  readonly kind: 'twilio' | 'acs' | 'simulator';
  send(message: OutgoingMessage): Promise<SentMessage>;
  /**
   * For a message in doubt (handed over before, outcome never recorded): the messages the provider holds that it
   * could be (same sender, recipient and content), created since `since`. Absent where a repeated send is itself
   * idempotent (ACS: repeatable requests answer a repeat from the first).
   */
  findEarlierAttempts?(message: OutgoingMessage, since: Date): Promise<ProviderMessageMatch[]>;
}

export interface ProviderSendErrorDetails {
  /** True when the same message may succeed if sent again later (429, 5xx, network errors). */
  retryable: boolean;
  /** The provider's requested wait (Retry-After), when it gave one. */
  retryAfterMs?: number;
  /** The provider's own error code (Twilio `code`, ACS `httpStatusCode`/error code), for the message's error. */
  providerCode?: string;
  /** True when the provider may have taken the message despite the failure (a timeout, a reset, a 5xx): it is then in doubt. */
  mayHaveBeenAccepted?: boolean;
  cause?: unknown;
}

/** A send the provider refused or could not take; `retryable` decides between retry and failure. */
export class ProviderSendError extends Error {
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly providerCode?: string;
  readonly mayHaveBeenAccepted: boolean;

  constructor(message: string, details: ProviderSendErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ProviderSendError';
    this.retryable = details.retryable;
    this.retryAfterMs = details.retryAfterMs;
    this.providerCode = details.providerCode;
    this.mayHaveBeenAccepted = details.mayHaveBeenAccepted ?? false;
  }
}

export type ProviderDeliveryStatus = 'sent' | 'delivered' | 'failed' | 'undelivered';

/** A provider's delivery report (Twilio status callback, ACS SMSDeliveryReportReceived), verified and parsed. */
export interface ProviderDeliveryReport {
  providerMessageId: string;
  status: ProviderDeliveryStatus;
  errorCode?: string;
  errorMessage?: string;
  occurredAt: Date;
}

/** A customer's message to one of our senders (Twilio inbound webhook, ACS SMSReceived), verified and parsed. */
export interface ProviderInboundMessage {
  providerMessageId: string;
  channel: MessagingChannel;
  /** The customer's number (without a `whatsapp:` prefix). */
  from: string;
  /** Our sender's number (without a `whatsapp:` prefix). */
  to: string;
  body: string;
  receivedAt: Date;
}
