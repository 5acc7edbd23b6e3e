import type { OutboundHttpClient } from '@switchboard/outbound-http';
import twilio from 'twilio';
// The Messages resource (twilio.messages) and the ~30 account modules beside it are otherwise required on the first
// send: 85-260 ms inside the sender's first batch. Loaded with the provider, at start, instead.
import 'twilio/lib/rest/Api';
import type { MessageInstance, MessageListInstanceCreateOptions } from 'twilio/lib/rest/api/v2010/account/message';
import { type MessagingProvider, type OutgoingMessage, type ProviderMessageMatch, ProviderSendError, type SentMessage } from '../messaging-provider';
import { twilioSendError } from './twilio-errors';
import { GuardedTwilioRequestClient, withTwilioCallContext } from './twilio-request-client';

export interface TwilioProviderSettings {
  accountSid: string;
  /** The account's auth token, or the secret of `apiKeySid`. */
  authToken: string;
  /** An API key (SK…) to authenticate with instead of the auth token. */
  apiKeySid?: string;
  /** Replaces https://api.twilio.com (the simulator's URL); absent for the real Twilio. */
  apiBaseUrl?: string;
  /** Per request; default 10 s. */
  timeoutMs?: number;
}

/** A Twilio Messaging Service SID: a sender given as one sends through the service's number pool. */
const MESSAGING_SERVICE_SID = /^MG[0-9a-f]{32}$/;

/**
 * SMS and WhatsApp through Twilio's Messages API with the official `twilio` SDK (OM3.4). WhatsApp addresses
 * get Twilio's `whatsapp:` prefix; an approved template is sent as `ContentSid` + `ContentVariables`.
 */
export class TwilioProvider implements MessagingProvider {
  private readonly client: twilio.Twilio;

  constructor(
    settings: TwilioProviderSettings,
    http: OutboundHttpClient,
    readonly kind: 'twilio' | 'simulator' = 'twilio',
  ) {
    const [username, password] = settings.apiKeySid ? [settings.apiKeySid, settings.authToken] : [settings.accountSid, settings.authToken];
    this.client = twilio(username, password, {
      accountSid: settings.accountSid,
      httpClient: new GuardedTwilioRequestClient(http, settings.apiBaseUrl),
      timeout: settings.timeoutMs ?? 10_000,
      autoRetry: false,
    });
  }

  async send(message: OutgoingMessage): Promise<SentMessage> {
    const request = twilioMessageRequest(message);
    const { context, outcome } = await withTwilioCallContext(() => this.client.messages.create(request));
    if (outcome.status === 'rejected') throw twilioSendError(outcome.reason, context.retryAfterMs);
    const created = outcome.value;
    return { providerMessageId: created.sid, status: created.status === 'sent' ? 'sent' : 'queued' };
  }

  /**
   * Twilio's send has no idempotency key, so a message in doubt is looked up in the Messages list resource: filtered
   * by To (and From, unless a Messaging Service picks the number), newest first, paged until messages are older
   * than `since`, matched on the body (or the Messaging Service). Not filtered by DateSent: a message Twilio still
   * holds queued has no date_sent yet and would be missed.
   */
  async findEarlierAttempts(message: OutgoingMessage, since: Date): Promise<ProviderMessageMatch[]> {
    const request = twilioMessageRequest(message);
    const matches: ProviderMessageMatch[] = [];
    const { context, outcome } = await withTwilioCallContext(async () => {
      let page: ListedPage | undefined = await this.client.messages.page({ to: request.to, ...(request.from ? { from: request.from } : {}), pageSize: LOOKUP_PAGE_SIZE });
      while (page) {
        matches.push(...page.instances.filter((candidate) => candidate.dateCreated >= since && isAttemptOf(candidate, request)).map(toMatch));
        const reachedOlder = page.instances.some((candidate) => candidate.dateCreated < since);
        page = reachedOlder || !page.nextPageUrl ? undefined : await page.nextPage();
      }
    });
    if (outcome.status === 'rejected') throw twilioSendError(outcome.reason, context.retryAfterMs);
    return matches;
  }
}

const LOOKUP_PAGE_SIZE = 50;

/** What paging needs of the SDK's Page. */
interface ListedPage {
  instances: MessageInstance[];
  nextPageUrl?: string;
  nextPage(): Promise<ListedPage> | undefined;
}

/** Whether a listed message is one we created with this request (outbound through the API, same sender and content). */
function isAttemptOf(candidate: MessageInstance, request: MessageListInstanceCreateOptions): boolean {
  if (candidate.direction !== 'outbound-api') return false;
  if (request.messagingServiceSid && candidate.messagingServiceSid !== request.messagingServiceSid) return false;
  // An approved template's rendered text is Twilio's: sender and recipient are all we can compare.
  return request.body === undefined || candidate.body === request.body;
}

function toMatch(candidate: MessageInstance): ProviderMessageMatch {
  return { providerMessageId: candidate.sid, createdAt: candidate.dateCreated };
}

/** The Messages.json parameters for one outgoing message. */
export function twilioMessageRequest(message: OutgoingMessage): MessageListInstanceCreateOptions {
  const prefix = message.channel === 'whatsapp' ? 'whatsapp:' : '';
  const sender = MESSAGING_SERVICE_SID.test(message.from) ? { messagingServiceSid: message.from } : { from: `${prefix}${message.from}` };
  const content = message.whatsappTemplate
    ? { contentSid: message.whatsappTemplate.id, contentVariables: JSON.stringify(message.whatsappTemplate.variables) }
    : { body: message.body };
  if (message.whatsappTemplate && message.channel !== 'whatsapp') {
    throw new ProviderSendError('an approved template is a WhatsApp message; SMS needs a body', { retryable: false, providerCode: 'template-on-sms' });
  }
  if (!content.body && !message.whatsappTemplate) throw new ProviderSendError('the message has neither a body nor a WhatsApp template', { retryable: false, providerCode: 'empty-message' });
  return {
    to: `${prefix}${message.to}`,
    ...sender,
    ...content,
    ...(message.statusCallbackUrl ? { statusCallback: message.statusCallbackUrl } : {}),
  };
}
