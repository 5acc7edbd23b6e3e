import { describe, expect, it } from 'vitest';
import { DEFAULT_MESSAGES_PER_SECOND, parseSender } from './sender';

describe('channel senders and their default throughput (OM2.1, OM3.4)', () => {
  it.each([
    ['a US long code', 'sms', '+1 (415) 555-2671', '+14155552671', 'long_code', 1],
    ['a US toll-free number', 'sms', '+18005550199', '+18005550199', 'toll_free', 3],
    ['a short code', 'sms', '72345', '72345', 'short_code', 100],
    ['an alphanumeric sender id', 'sms', 'Contoso', 'Contoso', 'alphanumeric', 10],
    ['a Twilio messaging service', 'sms', 'MG0123456789abcdef0123456789abcdef', 'MG0123456789abcdef0123456789abcdef', 'messaging_service', 10],
    ['a WhatsApp sender with its prefix', 'whatsapp', 'whatsapp:+14155552671', '+14155552671', 'whatsapp', 80],
  ] as const)('OM3.4 %s', (_case, channelType, raw, sender, senderType, perSecond) => {
    expect(parseSender(channelType, raw)).toEqual({ ok: true, sender, senderType });
    expect(DEFAULT_MESSAGES_PER_SECOND[senderType]).toBe(perSecond);
  });

  it.each([
    ['sms', '+1234'],
    ['sms', 'A sender id that is far too long'],
    ['sms', '12'],
    ['whatsapp', 'Contoso'],
  ] as const)('refuses %s sender %s with a reason', (channelType, raw) => {
    expect(parseSender(channelType, raw)).toMatchObject({ ok: false, reason: expect.stringMatching(/must be/) });
  });
});
