import { parsePhoneNumber } from '@switchboard/contact-time';

/** What kind of sender a channel sends from; it sets the default throughput (OM3.4). */
export const SENDER_TYPES = ['long_code', 'toll_free', 'short_code', 'alphanumeric', 'messaging_service', 'whatsapp'] as const;
export type SenderType = (typeof SENDER_TYPES)[number];

/**
 * Messages per second a sender may send unless the administrator sets its own: US carrier limits for
 * a 10DLC long code (1), a toll-free number (3) and a short code (100); WhatsApp Business' default (80).
 */
export const DEFAULT_MESSAGES_PER_SECOND: Record<SenderType, number> = {
  long_code: 1,
  toll_free: 3,
  short_code: 100,
  alphanumeric: 10,
  messaging_service: 10,
  whatsapp: 80,
};

export type ParsedSender = { ok: true; sender: string; senderType: SenderType } | { ok: false; reason: string };

const SHORT_CODE = /^\d{3,8}$/;
// GSM letters, digits and spaces, at most 11, at least one letter (the operators' rule for sender ids).
const ALPHANUMERIC = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;
const MESSAGING_SERVICE_SID = /^MG[0-9a-f]{32}$/;

/** Reads a channel's sender and what kind it is; WhatsApp senders are phone numbers (a `whatsapp:` prefix is dropped). */
export function parseSender(channelType: 'sms' | 'whatsapp', raw: string): ParsedSender {
  const text = raw.trim();
  if (channelType === 'whatsapp') {
    const phone = parsePhoneNumber(text.replace(/^whatsapp:/i, ''));
    return phone.ok ? { ok: true, sender: phone.value.e164, senderType: 'whatsapp' } : { ok: false, reason: `must be the WhatsApp sender's phone number: it ${phone.reason}` };
  }
  if (SHORT_CODE.test(text)) return { ok: true, sender: text, senderType: 'short_code' };
  if (MESSAGING_SERVICE_SID.test(text)) return { ok: true, sender: text, senderType: 'messaging_service' };
  if (text.startsWith('+')) {
    const phone = parsePhoneNumber(text);
    if (!phone.ok) return { ok: false, reason: `must be a phone number: it ${phone.reason}` };
    return { ok: true, sender: phone.value.e164, senderType: phone.value.type === 'TOLL_FREE' ? 'toll_free' : 'long_code' };
  }
  if (ALPHANUMERIC.test(text)) return { ok: true, sender: text, senderType: 'alphanumeric' };
  return { ok: false, reason: 'must be a phone number (+ and country code), a short code (3–8 digits), an alphanumeric sender id (at most 11 letters, digits or spaces) or a Twilio messaging service SID (MG…)' };
}
