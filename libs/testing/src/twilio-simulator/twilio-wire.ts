import { randomFillSync } from 'node:crypto';

/** Shapes of Twilio's Programmable Messaging REST API (2010-04-01), as its public reference documents them. */

export const TWILIO_API_VERSION = '2010-04-01';

export type TwilioMessageStatus = 'accepted' | 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'received';

export interface SimulatedTwilioMessage {
  sid: string;
  accountSid: string;
  from: string | null;
  to: string;
  body: string;
  messagingServiceSid: string | null;
  contentSid: string | null;
  contentVariables: Record<string, string> | null;
  statusCallback: string | null;
  status: TwilioMessageStatus;
  errorCode: number | null;
  errorMessage: string | null;
  numSegments: number;
  dateCreated: Date;
  dateUpdated: Date;
  dateSent: Date | null;
}

/** Random bytes for SIDs, filled 256 SIDs at a time: one call into the CSPRNG per SID is a real cost at thousands a second. */
const sidBytes = Buffer.alloc(16 * 256);
let sidOffset = sidBytes.length;

/** A Twilio SID: two letters and 32 hex digits. */
export function twilioSid(prefix: 'SM' | 'AC' | 'SK' | 'MG' | 'HX'): string {
  if (sidOffset === sidBytes.length) {
    randomFillSync(sidBytes);
    sidOffset = 0;
  }
  sidOffset += 16;
  return `${prefix}${sidBytes.toString('hex', sidOffset - 16, sidOffset)}`;
}

/** RFC 2822 dates, as the API writes them ("Thu, 24 Aug 2023 05:01:45 +0000"). */
export function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

/** Twilio's error body. */
export function twilioError(status: number, code: number, message: string): { code: number; message: string; more_info: string; status: number } {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** Segments as Twilio counts them: GSM-7 160 (153 when split), otherwise UCS-2 70 (67). */
export function segmentCount(body: string): number {
  const gsm = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà^{}\\[~\]|€]*$/.test(body);
  const units = [...body].length;
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  return units <= single ? 1 : Math.ceil(units / multi);
}

/** The message resource as the API returns it (snake_case, strings for counts). */
export function messageResource(message: SimulatedTwilioMessage): Record<string, unknown> {
  const uri = `/${TWILIO_API_VERSION}/Accounts/${message.accountSid}/Messages/${message.sid}`;
  return {
    account_sid: message.accountSid,
    api_version: TWILIO_API_VERSION,
    body: message.body,
    date_created: rfc2822(message.dateCreated),
    date_sent: message.dateSent && rfc2822(message.dateSent),
    date_updated: rfc2822(message.dateUpdated),
    direction: 'outbound-api',
    error_code: message.errorCode,
    error_message: message.errorMessage,
    from: message.from,
    messaging_service_sid: message.messagingServiceSid,
    num_media: '0',
    num_segments: String(message.numSegments),
    price: null,
    price_unit: 'USD',
    sid: message.sid,
    status: message.status,
    subresource_uris: { media: `${uri}/Media.json` },
    to: message.to,
    uri: `${uri}.json`,
  };
}
