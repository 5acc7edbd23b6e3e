import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpSimulator, readBody, sameText, type SimulatorRequest } from '../simulator-http';
import { isE164, type NextRequestsFault, type RecipientOutcome, SimulatorFaults, WebhookPoster } from '../messaging-simulator-kit';
import { RepeatabilityTracker, type RepeatableRecipient } from './acs-repeatability';
import { ACS_SIGNED_HEADERS, acsContentHash, acsSignature, acsStringToSign } from './acs-hmac';
import { acsError, acsMessageId, eventGridEvent, SMS_DELIVERY_REPORT_RECEIVED, SMS_RECEIVED, SUBSCRIPTION_VALIDATION_EVENT } from './acs-event-grid-wire';

export const ACS_SMS_API_VERSION = '2021-03-07';

export interface AcsSmsSimulatorOptions {
  host?: string;
  port?: number;
  /** The resource's access key (base64); generated when absent. */
  accessKey?: string;
  /** Event Grid subscriptions (webhook URLs, a secret in the query as configured) receiving SMS events. */
  eventSubscriptions?: string[];
  /** Time before a delivery report is published (default 20 ms). */
  deliveryReportDelayMs?: number;
  /** Largest accepted clock skew of `x-ms-date` (ACS: 15 minutes). */
  maxClockSkewMs?: number;
  /** How long repeatable requests are tracked (ACS: 5 minutes). */
  repeatabilityWindowMs?: number;
}

export interface AcsRecordedRequest extends SimulatorRequest {
  body: string;
  /** When it arrived (per-sender throughput checks). */
  receivedAt: Date;
}

export interface AcsSimulatedMessage {
  messageId: string;
  from: string;
  to: string;
  message: string;
  tag?: string;
  enableDeliveryReport: boolean;
  deliveryStatus?: 'Delivered' | 'Failed';
}

interface SmsRecipient {
  to?: unknown;
  repeatabilityRequestId?: unknown;
  repeatabilityFirstSent?: unknown;
}

interface RecipientResult {
  to: string;
  messageId?: string;
  httpStatusCode: number;
  repeatabilityResult?: 'accepted' | 'rejected';
  successful: boolean;
  errorMessage?: string;
}

interface EventSubscription {
  url: string;
  validated?: Promise<boolean>;
}

const MAX_RECIPIENTS = 100;
const MAX_MESSAGE = 2048;
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;

/**
 * Azure Communication Services SMS, written from its public REST reference, for the real `@azure/communication-sms` SDK:
 * - `POST /sms?api-version=2021-03-07` `{from, smsRecipients: [{to, repeatabilityRequestId, repeatabilityFirstSent}],
 *   message, smsSendOptions: {enableDeliveryReport, tag}}`, HMAC-SHA256 signed (`x-ms-date`, `x-ms-content-sha256`,
 *   `Authorization: HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=…`) and verified exactly;
 *   202 with per-recipient `value[]` (`messageId`, `httpStatusCode`, `successful`, `errorMessage`); repeatable requests
 *   (`repeatabilityRequestId` + `repeatabilityFirstSent`, tracked 5 minutes) as acs-repeatability.ts describes.
 * - Delivery reports and inbound messages as Event Grid schema events (`Microsoft.Communication.SMSDeliveryReportReceived`,
 *   `…SMSReceived`) POSTed to each subscription's webhook, after Event Grid's validation handshake
 *   (`Microsoft.EventGrid.SubscriptionValidationEvent`, answered with `{validationResponse}`).
 * - Failures on demand: the next N requests (429 with Retry-After, 5xx), or per recipient number.
 * Control over HTTP: `GET|DELETE /_simulator/requests`, `GET /_simulator/messages`, `POST|DELETE /_simulator/faults`,
 * `POST /_simulator/inbound` `{from, to, message}`, `POST /_simulator/event-subscriptions` `{url}`, `GET /_simulator/webhooks`.
 */
export class AcsSmsSimulator extends HttpSimulator {
  readonly accessKey: string;
  readonly requests: AcsRecordedRequest[] = [];
  readonly messages = new Map<string, AcsSimulatedMessage>();
  readonly faults = new SimulatorFaults();
  readonly webhooks = new WebhookPoster();
  private readonly subscriptions: EventSubscription[] = [];
  private readonly repeatability: RepeatabilityTracker<RecipientResult>;
  private readonly reportDelayMs: number;
  private readonly maxClockSkewMs: number;

  private constructor(options: AcsSmsSimulatorOptions) {
    super();
    this.accessKey = options.accessKey ?? randomBytes(32).toString('base64');
    this.reportDelayMs = options.deliveryReportDelayMs ?? 20;
    this.maxClockSkewMs = options.maxClockSkewMs ?? 15 * 60_000;
    this.repeatability = new RepeatabilityTracker(options.repeatabilityWindowMs);
    for (const url of options.eventSubscriptions ?? []) this.subscribe(url);
  }

  static async start(options: AcsSmsSimulatorOptions = {}): Promise<AcsSmsSimulator> {
    const simulator = new AcsSmsSimulator(options);
    await simulator.listen(options.host, options.port);
    return simulator;
  }

  /** What the SDK takes: `endpoint=http://host:port/;accesskey=…`. */
  get connectionString(): string {
    return `endpoint=${this.url}/;accesskey=${this.accessKey}`;
  }

  failNext(fault: NextRequestsFault): void {
    this.faults.failNext(fault);
  }

  failRecipient(number: string, outcome: RecipientOutcome): void {
    this.faults.failRecipient(number, outcome);
  }

  settled(): Promise<void> {
    return this.webhooks.settled();
  }

  /** Adds an Event Grid subscription; events reach it once it has answered the validation handshake. */
  subscribe(url: string): void {
    if (!this.subscriptions.some((subscription) => subscription.url === url)) this.subscriptions.push({ url });
  }

  /** A customer's SMS to one of the resource's numbers, published as `Microsoft.Communication.SMSReceived`. */
  async injectInbound(inbound: { from: string; to: string; message: string }): Promise<string> {
    const messageId = acsMessageId('Incoming');
    const data = { MessageId: messageId, From: inbound.from, To: inbound.to, Message: inbound.message, ReceivedTimestamp: new Date().toISOString() };
    await this.publish(eventGridEvent(SMS_RECEIVED, `/phonenumber/${inbound.to.replace(/^\+/, '')}`, data));
    return messageId;
  }

  protected async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://simulator');
    const method = request.method ?? 'GET';
    const body = await readBody(request);
    const record: AcsRecordedRequest = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: request.headers, body, status: 0, receivedAt: new Date() };
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      const json = payload === undefined ? '' : JSON.stringify(payload);
      response.writeHead(status, { ...(json ? { 'content-type': 'application/json; charset=utf-8' } : {}), ...headers }).end(json);
    };
    if (url.pathname.startsWith('/_simulator/')) return this.control(method, url.pathname, body, send);
    this.requests.push(record);

    if (url.pathname !== '/sms') return send(404, acsError('NotFound', `${method} ${url.pathname} is not part of this API`));
    const denied = this.authenticationProblem(request, body);
    if (denied) return send(401, acsError('Denied', denied));
    if (method !== 'POST') return send(405, acsError('MethodNotAllowed', `${method} is not allowed on /sms`));
    if (url.searchParams.get('api-version') !== ACS_SMS_API_VERSION) {
      return send(400, acsError('UnsupportedApiVersion', `The HTTP resource does not support the API version '${url.searchParams.get('api-version') ?? ''}'.`));
    }
    const fault = this.faults.takeNext();
    if (fault) {
      const headers: Record<string, string> = fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
      const code = String(fault.code ?? (fault.status === 429 ? 'TooManyRequests' : fault.status >= 500 ? 'InternalServerError' : 'BadRequest'));
      return send(fault.status, acsError(code, fault.message ?? `Simulated status ${fault.status}`), headers);
    }
    const parsed = parseSendRequest(body);
    if (typeof parsed === 'string') return send(400, acsError('BadRequest', parsed));
    const value = parsed.recipients.map((recipient) => this.sendTo(parsed, recipient));
    return send(202, { value });
  }

  private sendTo(request: ParsedSendRequest, recipient: RepeatableRecipient): RecipientResult {
    const asked = JSON.stringify([request.from, recipient.to, request.message]);
    return this.repeatability.answer(
      recipient,
      asked,
      () => this.resultFor(request, recipient.to),
      (refusal) => ({ to: recipient.to, ...refusal, repeatabilityResult: 'rejected', successful: false }),
    );
  }

  private resultFor(request: ParsedSendRequest, to: string): RecipientResult {
    if (!isE164(to)) return { to, httpStatusCode: 400, repeatabilityResult: 'accepted', successful: false, errorMessage: 'Invalid To phone number format.' };
    const outcome = this.faults.outcomeFor(to);
    if (outcome?.type === 'reject') {
      return { to, httpStatusCode: outcome.status ?? 400, repeatabilityResult: 'accepted', successful: false, errorMessage: outcome.message ?? 'Message rejected.' };
    }
    const message: AcsSimulatedMessage = { messageId: acsMessageId('Outgoing'), from: request.from, to, message: request.message, tag: request.tag, enableDeliveryReport: request.enableDeliveryReport };
    this.messages.set(message.messageId, message);
    if (message.enableDeliveryReport) this.webhooks.later(this.reportDelayMs, () => this.reportDelivery(message, outcome));
    return { to, messageId: message.messageId, httpStatusCode: 202, repeatabilityResult: 'accepted', successful: true };
  }

  private async reportDelivery(message: AcsSimulatedMessage, outcome: RecipientOutcome | undefined): Promise<void> {
    const failed = outcome !== undefined && outcome.type !== 'reject';
    message.deliveryStatus = failed ? 'Failed' : 'Delivered';
    const now = new Date().toISOString();
    const data = {
      MessageId: message.messageId,
      From: message.from,
      To: message.to,
      DeliveryStatus: message.deliveryStatus,
      DeliveryStatusDetails: failed ? (outcome.message ?? `Undelivered: error ${outcome.errorCode ?? 'unknown'}`) : 'No error.',
      ReceivedTimestamp: now,
      DeliveryAttempts: [{ Timestamp: now, SegmentsSucceeded: failed ? 0 : 1, SegmentsFailed: failed ? 1 : 0 }],
      ...(message.tag ? { Tag: message.tag } : {}),
    };
    await this.publish(eventGridEvent(SMS_DELIVERY_REPORT_RECEIVED, `/phonenumber/${message.from.replace(/^\+/, '')}`, data));
  }

  /** Delivers one event to every subscription that passed (or now passes) the validation handshake. */
  private async publish(event: ReturnType<typeof eventGridEvent>): Promise<void> {
    await Promise.all(
      this.subscriptions.map(async (subscription) => {
        subscription.validated ??= this.validate(subscription.url);
        if (!(await subscription.validated)) return;
        await this.webhooks.post(subscription.url, eventGridHeaders('Notification', event.dataVersion), JSON.stringify([event]));
      }),
    );
  }

  private async validate(url: string): Promise<boolean> {
    const validationCode = randomBytes(16).toString('hex');
    const event = eventGridEvent(SUBSCRIPTION_VALIDATION_EVENT, '', { validationCode, validationUrl: `${this.url}/_simulator/validate/${validationCode}` }, '2');
    const delivery = await this.webhooks.post(url, eventGridHeaders('SubscriptionValidation', '2'), JSON.stringify([event]));
    try {
      return delivery.status === 200 && (JSON.parse(delivery.responseBody ?? '') as { validationResponse?: unknown }).validationResponse === validationCode;
    } catch {
      return false;
    }
  }

  /** Why the request's HMAC signature is not ACS's, or undefined when it is. */
  private authenticationProblem(request: IncomingMessage, body: string): string | undefined {
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const [date, hash, host, authorization] = [header('x-ms-date'), header('x-ms-content-sha256'), header('host'), header('authorization')];
    if (!date || !hash || !host || !authorization) return 'Denied: x-ms-date, x-ms-content-sha256, host and Authorization are required.';
    const match = /^HMAC-SHA256 SignedHeaders=([^&]+)&Signature=(.+)$/.exec(authorization);
    if (!match || match[1] !== ACS_SIGNED_HEADERS) return `Denied: Authorization must be HMAC-SHA256 SignedHeaders=${ACS_SIGNED_HEADERS}&Signature=….`;
    const sentAt = Date.parse(date);
    if (Number.isNaN(sentAt) || Math.abs(Date.now() - sentAt) > this.maxClockSkewMs) return 'Denied: x-ms-date is missing, unreadable or too far from the current time.';
    if (!sameText(hash, acsContentHash(body))) return 'Denied: x-ms-content-sha256 does not match the body.';
    const expected = acsSignature(this.accessKey, acsStringToSign(request.method ?? 'GET', request.url ?? '/', date, host, hash));
    return sameText(match[2] ?? '', expected) ? undefined : 'Denied: the signature does not match.';
  }

  private async control(method: string, path: string, body: string, send: (status: number, payload?: unknown) => void): Promise<void> {
    const json = () => JSON.parse(body || '{}') as Record<string, unknown>;
    if (method === 'GET' && path === '/_simulator/requests') return send(200, { requests: this.requests });
    if (method === 'DELETE' && path === '/_simulator/requests') {
      this.requests.length = 0;
      return send(204);
    }
    if (method === 'GET' && path === '/_simulator/messages') return send(200, { messages: [...this.messages.values()] });
    if (method === 'GET' && path === '/_simulator/webhooks') return send(200, { webhooks: this.webhooks.deliveries });
    if (method === 'POST' && path === '/_simulator/faults') {
      const problem = this.faults.applyControl(json());
      return problem ? send(400, { error: problem }) : send(204);
    }
    if (method === 'DELETE' && path === '/_simulator/faults') {
      this.faults.clear();
      return send(204);
    }
    if (method === 'POST' && path === '/_simulator/event-subscriptions') {
      const url = json()['url'];
      if (typeof url !== 'string' || !/^https?:\/\//.test(url)) return send(400, { error: 'url (http or https) is required' });
      this.subscribe(url);
      return send(204);
    }
    if (method === 'POST' && path === '/_simulator/inbound') {
      const { from, to, message } = json();
      if (typeof from !== 'string' || typeof to !== 'string' || typeof message !== 'string') return send(400, { error: 'from, to and message are required' });
      return send(200, { messageId: await this.injectInbound({ from, to, message }) });
    }
    return send(404, { error: 'unknown simulator control path' });
  }
}

interface ParsedSendRequest {
  from: string;
  message: string;
  recipients: RepeatableRecipient[];
  enableDeliveryReport: boolean;
  tag?: string;
}

/** The send request, or the reason ACS would answer 400. */
function parseSendRequest(text: string): ParsedSendRequest | string {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return 'The request body is not valid JSON.';
  }
  const { from, message, smsRecipients, smsSendOptions } = body ?? {};
  if (typeof from !== 'string' || !(isE164(from) || ALPHANUMERIC_SENDER.test(from))) return 'Invalid From phone number format.';
  if (typeof message !== 'string' || message.length === 0) return 'The message is required.';
  if (message.length > MAX_MESSAGE) return `The message is longer than ${MAX_MESSAGE} characters.`;
  if (!Array.isArray(smsRecipients) || smsRecipients.length === 0) return 'At least one recipient is required.';
  if (smsRecipients.length > MAX_RECIPIENTS) return `At most ${MAX_RECIPIENTS} recipients per request.`;
  const recipients = (smsRecipients as SmsRecipient[]).map((recipient) => ({
    to: String(recipient?.to ?? ''),
    ...(typeof recipient?.repeatabilityRequestId === 'string' ? { repeatabilityRequestId: recipient.repeatabilityRequestId } : {}),
    ...(typeof recipient?.repeatabilityFirstSent === 'string' ? { repeatabilityFirstSent: recipient.repeatabilityFirstSent } : {}),
  }));
  const options = (smsSendOptions ?? {}) as { enableDeliveryReport?: unknown; tag?: unknown };
  return { from, message, recipients, enableDeliveryReport: options.enableDeliveryReport === true, tag: typeof options.tag === 'string' ? options.tag : undefined };
}

function eventGridHeaders(type: 'Notification' | 'SubscriptionValidation', dataVersion: string): Record<string, string> {
  return {
    'content-type': 'application/json; charset=utf-8',
    'aeg-event-type': type,
    'aeg-subscription-name': 'SWITCHBOARD-SMS',
    'aeg-delivery-count': '0',
    'aeg-data-version': dataVersion,
    'aeg-metadata-version': '1',
  };
}
