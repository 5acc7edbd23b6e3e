import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpSimulator, readBody, sameText, type SimulatorRequest } from '../simulator-http';
import { isE164, type NextRequestsFault, type RecipientOutcome, SimulatorFaults, WebhookPoster } from '../messaging-simulator-kit';
import { listMessagesPage } from './twilio-message-list';
import { twilioSignature } from './twilio-signature';
import { messageResource, segmentCount, type SimulatedTwilioMessage, TWILIO_API_VERSION, twilioError, twilioSid, type TwilioMessageStatus } from './twilio-wire';

export interface TwilioSimulatorAccount {
  accountSid: string;
  authToken: string;
  /** API keys (SK…) that may authenticate for this account instead of the auth token. */
  apiKeys?: Array<{ sid: string; secret: string }>;
}

export interface TwilioSimulatorOptions {
  host?: string;
  /** 0 (default) takes a free port. */
  port?: number;
  /** Defaults to one generated account. */
  accounts?: TwilioSimulatorAccount[];
  /** Where inbound messages go when `injectInbound` names no URL (the number's "A message comes in" webhook). */
  inboundWebhookUrl?: string;
  /** Time between the status steps queued → sent → delivered (default 20 ms). */
  statusStepDelayMs?: number;
  /** false: messages stay queued until `advance(sid)` (default true). */
  autoAdvance?: boolean;
  /** Which status changes are posted to StatusCallback: all (default), only final ones, or none (benchmarks). */
  statusCallbacks?: 'all' | 'final' | 'none';
  /** false: requests are not kept (long benchmark runs); default true. */
  recordRequests?: boolean;
}

export interface TwilioRecordedRequest extends SimulatorRequest {
  /** The form parameters of a POST. */
  params: Record<string, string>;
  /** When it arrived (per-sender throughput checks). */
  receivedAt: Date;
}

export interface InjectedInbound {
  from: string;
  to: string;
  body: string;
  channel?: 'sms' | 'whatsapp';
  /** Defaults to the simulator's inboundWebhookUrl. */
  url?: string;
  /** Signs with this account's auth token (default: the first account). */
  accountSid?: string;
  /** WhatsApp profile name. */
  profileName?: string;
}

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages(?:\/([^/]+))?\.json$/;
const CONTENT_SID = /^HX[0-9a-f]{32}$/;
const SERVICE_SID = /^MG[0-9a-f]{32}$/;
const MAX_BODY = 1600;
const FINAL_STATUSES = new Set<TwilioMessageStatus>(['delivered', 'undelivered', 'failed']);
/** Twilio's default opt-out and opt-in keywords (Advanced Opt-Out off: the account defaults). */
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
const OPT_IN = new Set(['START', 'UNSTOP', 'YES']);

/**
 * Twilio's Programmable Messaging API, written from its public reference, for the real `twilio` SDK:
 * - `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` (form-encoded `To`, `From` or `MessagingServiceSid`,
 *   `Body` or `ContentSid` + `ContentVariables`, `StatusCallback`), HTTP Basic auth with AccountSid:AuthToken or
 *   an API key; answers 201 with the message resource, errors as `{code, message, more_info, status}`;
 *   `GET …/Messages/{Sid}.json`; the list `GET …/Messages.json` filtered by To, From and DateSent, newest first, paged
 *   (twilio-message-list.ts).
 * - Status callbacks queued → sent → delivered | failed | undelivered POSTed to `StatusCallback`, form-encoded,
 *   signed with `X-Twilio-Signature` (HMAC-SHA1 of the URL and sorted parameters with the auth token).
 * - `injectInbound` posts an inbound message to a webhook, signed the same way; a STOP (Twilio's default keywords)
 *   makes later sends from that number to the customer fail with 21610 until START, as Twilio's opt-out handling does.
 * - Failures on demand: the next N requests (e.g. 429 with code 20429), or per recipient number (refused at
 *   send time with a code such as 21211, or accepted and later failed/undelivered with e.g. 30003).
 * Control over HTTP for `npm start`: `GET|DELETE /_simulator/requests`, `GET /_simulator/messages`,
 * `POST|DELETE /_simulator/faults`, `POST /_simulator/inbound` (an InjectedInbound), `GET /_simulator/webhooks`.
 */
export class TwilioSimulator extends HttpSimulator {
  readonly accounts: TwilioSimulatorAccount[];
  readonly requests: TwilioRecordedRequest[] = [];
  readonly messages = new Map<string, SimulatedTwilioMessage>();
  readonly faults = new SimulatorFaults();
  readonly webhooks = new WebhookPoster();
  inboundWebhookUrl: string | undefined;
  /** `<sender>|<recipient>` pairs whose recipient replied STOP: Twilio refuses them with 21610 until START. */
  readonly optedOut = new Set<string>();
  private readonly stepDelayMs: number;
  private readonly autoAdvance: boolean;
  private readonly statusCallbacks: 'all' | 'final' | 'none';
  private readonly recordRequests: boolean;

  private constructor(options: TwilioSimulatorOptions) {
    super();
    this.accounts = options.accounts ?? [{ accountSid: twilioSid('AC'), authToken: twilioSid('SK').slice(2) }];
    this.inboundWebhookUrl = options.inboundWebhookUrl;
    this.stepDelayMs = options.statusStepDelayMs ?? 20;
    this.autoAdvance = options.autoAdvance ?? true;
    this.statusCallbacks = options.statusCallbacks ?? 'all';
    this.recordRequests = options.recordRequests ?? true;
  }

  static async start(options: TwilioSimulatorOptions = {}): Promise<TwilioSimulator> {
    const simulator = new TwilioSimulator(options);
    await simulator.listen(options.host, options.port);
    return simulator;
  }

  /** The first account (the one most tests use). */
  get account(): TwilioSimulatorAccount {
    return this.accounts[0] as TwilioSimulatorAccount;
  }

  failNext(fault: NextRequestsFault): void {
    this.faults.failNext(fault);
  }

  failRecipient(number: string, outcome: RecipientOutcome): void {
    this.faults.failRecipient(number, outcome);
  }

  /** Resolves when every status callback and inbound post in flight has been answered. */
  settled(): Promise<void> {
    return this.webhooks.settled();
  }

  /** Moves a message to its next status (sent, then its final one), posting the status callback. */
  async advance(sid: string): Promise<void> {
    const message = this.messages.get(sid);
    if (!message) throw new Error(`no message ${sid}`);
    if (message.status === 'queued' || message.status === 'accepted') return this.changeStatus(message, 'sent');
    if (message.status !== 'sent') return;
    const outcome = this.faults.outcomeFor(bareNumber(message.to));
    if (outcome && outcome.type !== 'reject') {
      return this.changeStatus(message, outcome.type, Number(outcome.errorCode ?? (outcome.type === 'failed' ? 30008 : 30003)), outcome.message);
    }
    return this.changeStatus(message, 'delivered');
  }

  /** A customer's message to one of the account's numbers, POSTed to the webhook like Twilio does. */
  async injectInbound(inbound: InjectedInbound): Promise<{ messageSid: string; status?: number; responseBody?: string; error?: string }> {
    const url = inbound.url ?? this.inboundWebhookUrl;
    if (!url) throw new Error('no inbound webhook URL: pass one or set inboundWebhookUrl');
    const account = this.accounts.find((candidate) => candidate.accountSid === (inbound.accountSid ?? this.account.accountSid));
    if (!account) throw new Error(`unknown account ${inbound.accountSid}`);
    const prefix = inbound.channel === 'whatsapp' ? 'whatsapp:' : '';
    const messageSid = twilioSid('SM');
    const params: Record<string, string> = {
      ToCountry: 'US',
      SmsMessageSid: messageSid,
      NumMedia: '0',
      SmsSid: messageSid,
      SmsStatus: 'received',
      Body: inbound.body,
      To: `${prefix}${inbound.to}`,
      NumSegments: String(segmentCount(inbound.body)),
      MessageSid: messageSid,
      AccountSid: account.accountSid,
      From: `${prefix}${inbound.from}`,
      ApiVersion: TWILIO_API_VERSION,
      ...(inbound.channel === 'whatsapp' ? { ProfileName: inbound.profileName ?? 'Customer', WaId: inbound.from.replace(/^\+/, '') } : {}),
    };
    const keyword = inbound.body.trim().toUpperCase();
    const pair = `${bareNumber(inbound.to)}|${bareNumber(inbound.from)}`;
    if (OPT_OUT.has(keyword)) this.optedOut.add(pair);
    if (OPT_IN.has(keyword)) this.optedOut.delete(pair);
    if (OPT_OUT.has(keyword)) params['OptOutType'] = 'STOP';
    if (OPT_IN.has(keyword)) params['OptOutType'] = 'START';
    const delivery = await this.postSigned(account, url, params);
    return { messageSid, status: delivery.status, responseBody: delivery.responseBody, error: delivery.error };
  }

  protected async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://simulator');
    const method = request.method ?? 'GET';
    const text = await readBody(request);
    // Built only when requests are kept (benchmarks keep none).
    let record: TwilioRecordedRequest | undefined;
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      if (record) record.status = status;
      const json = payload === undefined ? '' : JSON.stringify(payload);
      response.writeHead(status, { ...(json ? { 'content-type': 'application/json; charset=utf-8' } : {}), ...headers }).end(json);
    };
    if (url.pathname.startsWith('/_simulator/')) return this.control(method, url.pathname, text, send);
    const params: Record<string, string> = method === 'POST' ? Object.fromEntries(new URLSearchParams(text)) : {};
    if (this.recordRequests) {
      record = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: redact(request.headers), params, status: 0, receivedAt: new Date() };
      this.requests.push(record);
    }

    const route = MESSAGES_PATH.exec(url.pathname);
    if (!route) return send(404, twilioError(404, 20404, `The requested resource ${url.pathname} was not found`));
    const account = this.authenticate(request.headers.authorization, decodeURIComponent(route[1] ?? ''));
    if (!account) return send(401, twilioError(401, 20003, 'Authenticate'), { 'www-authenticate': 'Basic realm="Twilio API"' });
    const fault = this.faults.takeNext();
    if (fault) {
      const headers: Record<string, string> = fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
      const code = Number(fault.code ?? (fault.status === 429 ? 20429 : fault.status >= 500 ? 20500 : 21000));
      return send(fault.status, twilioError(fault.status, code, fault.message ?? (fault.status === 429 ? 'Too Many Requests' : 'Simulated failure')), headers);
    }
    if (method === 'GET' && route[2]) {
      const message = this.messages.get(route[2]);
      if (!message || message.accountSid !== account.accountSid) return send(404, twilioError(404, 20404, `The requested resource ${url.pathname} was not found`));
      return send(200, messageResource(message));
    }
    if (method === 'GET') {
      const own = [...this.messages.values()].filter((message) => message.accountSid === account.accountSid);
      return send(200, listMessagesPage(`/${TWILIO_API_VERSION}/Accounts/${account.accountSid}`, own, url.searchParams));
    }
    if (method !== 'POST' || route[2]) return send(405, twilioError(405, 20004, 'Method not allowed'));
    const created = this.createMessage(account, params);
    if ('error' in created) return send(created.error.status, created.error);
    return send(201, messageResource(created));
  }

  private createMessage(account: TwilioSimulatorAccount, params: Record<string, string>): SimulatedTwilioMessage | { error: ReturnType<typeof twilioError> } {
    const fail = (code: number, message: string, status = 400) => ({ error: twilioError(status, code, message) });
    const { To: to, From: from, MessagingServiceSid: serviceSid, Body: body, ContentSid: contentSid, ContentVariables: variables, StatusCallback: callback } = params;
    if (!to) return fail(21604, "A 'To' phone number is required.");
    if (!from && !serviceSid) return fail(21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message.");
    if (!isE164(bareNumber(to))) return fail(21211, `The 'To' number ${to} is not a valid phone number.`);
    if (from && !isE164(bareNumber(from))) return fail(21212, `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`);
    if (serviceSid && !SERVICE_SID.test(serviceSid)) return fail(21701, `The Messaging Service Sid ${serviceSid} is invalid.`);
    if (from && to.startsWith('whatsapp:') !== from.startsWith('whatsapp:')) return fail(21910, "Invalid 'From' and 'To' pair. From and To should be of the same channel.");
    if (!body && !contentSid) return fail(21602, 'Message body is required.');
    if (body && [...body].length > MAX_BODY) return fail(21617, 'The concatenated message body exceeds the 1600 character limit.');
    if (contentSid && !CONTENT_SID.test(contentSid)) return fail(21655, 'The ContentSid is Invalid.');
    const contentVariables = variables === undefined ? null : parseContentVariables(variables);
    if (contentVariables === undefined) return fail(21656, 'The ContentVariables Parameter is invalid.');
    if (callback !== undefined && !/^https?:\/\/[^\s]+$/.test(callback)) return fail(21609, `The StatusCallback URL ${callback} is not a valid URL.`);
    if (from && this.optedOut.has(`${bareNumber(from)}|${bareNumber(to)}`)) return fail(21610, 'Attempt to send to unsubscribed recipient');
    const outcome = this.faults.outcomeFor(bareNumber(to));
    if (outcome?.type === 'reject') {
      return fail(Number(outcome.code ?? 21211), outcome.message ?? `The 'To' number ${to} is not a valid phone number.`, outcome.status ?? 400);
    }
    const now = new Date();
    const rendered = body ?? Object.entries(contentVariables ?? {}).map(([key, value]) => `{{${key}}}=${value}`).join(' ');
    const message: SimulatedTwilioMessage = {
      sid: twilioSid('SM'),
      accountSid: account.accountSid,
      from: from ?? null,
      to,
      body: rendered,
      messagingServiceSid: serviceSid ?? null,
      contentSid: contentSid ?? null,
      contentVariables,
      statusCallback: callback ?? null,
      status: from ? 'queued' : 'accepted',
      errorCode: null,
      errorMessage: null,
      numSegments: segmentCount(rendered),
      dateCreated: now,
      dateUpdated: now,
      dateSent: null,
    };
    this.messages.set(message.sid, message);
    // The first callback reports the status the message was created with (queued, or accepted for a service); only
    // scheduled when it is posted (a timer per message is a real cost in benchmarks that share the CPU).
    if (message.statusCallback && this.statusCallbacks === 'all') this.webhooks.later(0, () => this.changeStatus(message, message.status));
    if (this.autoAdvance) {
      this.webhooks.later(this.stepDelayMs, () => this.advance(message.sid));
      this.webhooks.later(this.stepDelayMs * 2, () => this.advance(message.sid));
    }
    return message;
  }

  private async changeStatus(message: SimulatedTwilioMessage, status: TwilioMessageStatus, errorCode?: number, errorMessage?: string): Promise<void> {
    message.status = status;
    message.dateUpdated = new Date();
    if (status === 'sent') message.dateSent = message.dateUpdated;
    if (errorCode !== undefined) {
      message.errorCode = errorCode;
      message.errorMessage = errorMessage ?? null;
    }
    if (!message.statusCallback || this.statusCallbacks === 'none') return;
    if (this.statusCallbacks === 'final' && !FINAL_STATUSES.has(status)) return;
    const account = this.accounts.find((candidate) => candidate.accountSid === message.accountSid) as TwilioSimulatorAccount;
    const params: Record<string, string> = {
      SmsSid: message.sid,
      SmsStatus: status,
      MessageStatus: status,
      To: message.to,
      MessageSid: message.sid,
      AccountSid: message.accountSid,
      From: message.from ?? '',
      ApiVersion: TWILIO_API_VERSION,
      ...(message.messagingServiceSid ? { MessagingServiceSid: message.messagingServiceSid } : {}),
      ...(message.to.startsWith('whatsapp:') ? { ChannelPrefix: 'whatsapp' } : {}),
      ...(errorCode !== undefined ? { ErrorCode: String(errorCode) } : {}),
    };
    await this.postSigned(account, message.statusCallback, params);
  }

  private postSigned(account: TwilioSimulatorAccount, url: string, params: Record<string, string>) {
    const headers = {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'user-agent': 'TwilioProxy/1.1',
      'x-twilio-signature': twilioSignature(account.authToken, url, params),
      'i-twilio-idempotency-token': crypto.randomUUID(),
    };
    return this.webhooks.post(url, headers, new URLSearchParams(params).toString());
  }

  private authenticate(header: string | undefined, accountSid: string): TwilioSimulatorAccount | undefined {
    const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
    if (!match) return undefined;
    const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    const [user, secret] = [decoded.slice(0, separator), decoded.slice(separator + 1)];
    const account = this.accounts.find((candidate) => candidate.accountSid === accountSid);
    if (!account || separator < 0) return undefined;
    if (user === account.accountSid && sameText(secret, account.authToken)) return account;
    const key = account.apiKeys?.find((candidate) => candidate.sid === user);
    return key && sameText(secret, key.secret) ? account : undefined;
  }

  private async control(method: string, path: string, body: string, send: (status: number, payload?: unknown) => void): Promise<void> {
    const json = () => JSON.parse(body || '{}') as unknown;
    if (method === 'GET' && path === '/_simulator/requests') return send(200, { requests: this.requests });
    if (method === 'DELETE' && path === '/_simulator/requests') {
      this.requests.length = 0;
      return send(204);
    }
    if (method === 'GET' && path === '/_simulator/messages') return send(200, { messages: [...this.messages.values()].map(messageResource) });
    if (method === 'GET' && path === '/_simulator/webhooks') return send(200, { webhooks: this.webhooks.deliveries });
    if (method === 'POST' && path === '/_simulator/faults') {
      const problem = this.faults.applyControl(json());
      return problem ? send(400, { error: problem }) : send(204);
    }
    if (method === 'DELETE' && path === '/_simulator/faults') {
      this.faults.clear();
      return send(204);
    }
    if (method === 'POST' && path === '/_simulator/inbound') {
      const inbound = json() as InjectedInbound;
      if (typeof inbound.from !== 'string' || typeof inbound.to !== 'string' || typeof inbound.body !== 'string') return send(400, { error: 'from, to and body are required' });
      try {
        return send(200, await this.injectInbound(inbound));
      } catch (error) {
        return send(400, { error: (error as Error).message });
      }
    }
    return send(404, { error: 'unknown simulator control path' });
  }
}

/** A number without its channel prefix (`whatsapp:+1…` → `+1…`). */
function bareNumber(address: string): string {
  return address.replace(/^whatsapp:/, '');
}

/** ContentVariables: a JSON object of strings; undefined when it is not one. */
function parseContentVariables(text: string): Record<string, string> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return Object.values(value).every((one) => typeof one === 'string') ? (value as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}

function redact(headers: IncomingMessage['headers']): IncomingMessage['headers'] {
  return { ...headers, ...(headers.authorization ? { authorization: 'Basic [redacted]' } : {}) };
}
