import { twilioSignature } from '@switchboard/testing';
import { describe, expect, it } from 'vitest';
import { readTwilioInbound, readTwilioStatusCallback } from './twilio-webhooks';

const TOKEN = 'auth-token';
const URL_ = 'https://switchboard.example/outbound/webhooks/twilio/status?channel=c1';
const AT = new Date('2026-12-02T12:00:00Z');
const signed = (params: Record<string, string>, url = URL_) => ({ url, params, signature: twilioSignature(TOKEN, url, params) });
const callback = (status: string, extra: Record<string, string> = {}) => signed({ MessageSid: 'SM1', SmsSid: 'SM1', MessageStatus: status, SmsStatus: status, AccountSid: 'AC1', ...extra });

describe('Twilio status callbacks and inbound messages (OM3.3, OM5.1), pure', () => {
  it.each([
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['read', 'delivered'],
    ['failed', 'failed'],
    ['undelivered', 'undelivered'],
  ])('OM3.3 MessageStatus %s → %s', (twilioStatus, status) => {
    expect(readTwilioStatusCallback(TOKEN, callback(twilioStatus), AT)).toMatchObject({ outcome: 'accepted', value: { providerMessageId: 'SM1', status, occurredAt: AT } });
  });

  it.each(['queued', 'accepted', 'sending', 'scheduled'])('OM3.3 intermediate status %s is ignored', (status) => {
    expect(readTwilioStatusCallback(TOKEN, callback(status), AT).outcome).toBe('ignored');
  });

  it('OM3.3 a failure carries ErrorCode and a worded message; an unknown code is named', () => {
    expect(readTwilioStatusCallback(TOKEN, callback('failed', { ErrorCode: '30007' }), AT)).toMatchObject({ value: { errorCode: '30007', errorMessage: 'message filtered by the carrier' } });
    expect(readTwilioStatusCallback(TOKEN, callback('failed', { ErrorCode: '63016' }), AT)).toMatchObject({ value: { errorCode: '63016', errorMessage: 'Twilio error 63016' } });
    expect(readTwilioStatusCallback(TOKEN, callback('canceled'), AT)).toMatchObject({ value: { status: 'failed', errorMessage: 'the message was canceled before it was sent' } });
  });

  it('OM3.3 a signature over the URL with an explicit default port also verifies (Twilio SDK behaviour)', () => {
    const request = callback('delivered');
    expect(readTwilioStatusCallback(TOKEN, { ...request, url: URL_.replace('switchboard.example/', 'switchboard.example:443/') }, AT).outcome).toBe('accepted');
  });

  it('OM5.1 an inbound message without From is 400 even when signed; an unsigned one is 403', () => {
    expect(readTwilioInbound(TOKEN, signed({ MessageSid: 'SM2', To: '+18005550199', Body: 'hi' }), AT)).toMatchObject({ outcome: 'rejected', status: 400 });
    expect(readTwilioInbound(TOKEN, { ...signed({ MessageSid: 'SM2', From: '+1', To: '+2', Body: 'hi' }), signature: [] }, AT)).toMatchObject({ outcome: 'rejected', status: 403 });
  });

  it('OM5.1 WhatsApp addresses lose their prefix; an empty body stays empty text', () => {
    expect(readTwilioInbound(TOKEN, signed({ MessageSid: 'SM3', From: 'whatsapp:+14155550123', To: 'whatsapp:+18005550199' }), AT)).toEqual({
      outcome: 'accepted',
      value: { providerMessageId: 'SM3', channel: 'whatsapp', from: '+14155550123', to: '+18005550199', body: '', receivedAt: AT },
    });
  });
});
