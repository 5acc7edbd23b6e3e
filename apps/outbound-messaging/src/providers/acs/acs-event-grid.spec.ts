import { describe, expect, it } from 'vitest';
import { readAcsEventGridRequest } from './acs-event-grid';

const SECRET = 's3cret';
const URL_ = `https://switchboard.example/outbound/webhooks/acs?code=${SECRET}`;
const event = (eventType: string, data: Record<string, unknown>, id = 'e1') => ({ id, topic: '/subscriptions/x', subject: '/phonenumber/1', eventType, data, dataVersion: '1.0', metadataVersion: '1', eventTime: '2026-12-02T12:00:00Z' });
const read = (events: unknown[]) => readAcsEventGridRequest(SECRET, { url: URL_, headers: {}, body: JSON.stringify(events) });

describe('ACS Event Grid deliveries (OM3.3, OM5.1), pure', () => {
  it('OM3.3 a mixed batch yields its delivery reports and inbound messages; other event types are left out', () => {
    const reading = read([
      event('Microsoft.Communication.SMSDeliveryReportReceived', { MessageId: 'Outgoing_1', DeliveryStatus: 'Delivered', ReceivedTimestamp: '2026-12-02T11:59:58.1234567+00:00', Tag: 'm-1' }, 'e1'),
      event('Microsoft.Communication.SMSReceived', { MessageId: 'Incoming_1', From: '+14155550123', To: '+18335550100', Message: 'STOP', ReceivedTimestamp: '2026-12-02T11:59:59Z' }, 'e2'),
      event('Microsoft.Communication.ChatMessageReceived', { anything: true }, 'e3'),
      event('Microsoft.Communication.SMSDeliveryReportReceived', { MessageId: 'Outgoing_2', DeliveryStatus: 'Failed', DeliveryStatusDetails: 'Carrier rejected' }, 'e4'),
    ]);
    expect(reading).toEqual({
      outcome: 'accepted',
      value: {
        deliveryReports: [
          { providerMessageId: 'Outgoing_1', status: 'delivered', occurredAt: new Date('2026-12-02T11:59:58.123Z'), clientReference: 'm-1' },
          { providerMessageId: 'Outgoing_2', status: 'failed', errorCode: 'Failed', errorMessage: 'Carrier rejected', occurredAt: new Date('2026-12-02T12:00:00Z') },
        ],
        inboundMessages: [{ providerMessageId: 'Incoming_1', channel: 'sms', from: '+14155550123', to: '+18335550100', body: 'STOP', receivedAt: new Date('2026-12-02T11:59:59Z') }],
      },
    });
  });

  it('OM3.3 the validation handshake answers with the validation code', () => {
    expect(read([event('Microsoft.EventGrid.SubscriptionValidationEvent', { validationCode: 'abc', validationUrl: 'https://x' })])).toEqual({ outcome: 'validation', validationResponse: 'abc' });
    expect(read([event('Microsoft.EventGrid.SubscriptionValidationEvent', {})])).toMatchObject({ outcome: 'rejected', status: 400 });
  });

  it('OM3.3 malformed events are 400 naming the event; an empty batch is 400', () => {
    expect(read([event('Microsoft.Communication.SMSReceived', { MessageId: 'Incoming_1' }, 'e9')])).toEqual({ outcome: 'rejected', status: 400, reason: 'event e9: a received SMS needs MessageId, From, To and Message' });
    expect(read([])).toMatchObject({ outcome: 'rejected', status: 400 });
    expect(read([{ ...event('x', {}), data: 'text' }])).toMatchObject({ outcome: 'rejected', status: 400 });
  });

  it('OM3.3 the secret is checked before the body is read', () => {
    expect(readAcsEventGridRequest(SECRET, { url: URL_.replace(SECRET, 's3creT'), headers: {}, body: 'not json' })).toMatchObject({ outcome: 'rejected', status: 403 });
  });
});
