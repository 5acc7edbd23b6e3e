import { describe, expect, it } from 'vitest';
import { eventCatalog } from '../catalog';
import { createCloudEvent } from '../events/cloud-event';
import { Topics } from '../topics';
import { OutboundMessageEventTypes } from './outbound-message-events';

const ref = {
  messageId: '0d9c8b7a-6f5e-4d3c-8b2a-1f0e9d8c7b6a',
  configurationId: '761e062f-c734-ef11-8e4f-00224808a166',
  channelId: '1e2d3c4b-5a69-4788-8796-a5b4c3d2e1f0',
  channel: 'sms',
  to: '+14155552671',
};
const event = (type: string, data: object) =>
  JSON.parse(JSON.stringify(createCloudEvent({ type, source: '/switchboard/outbound-messaging', subject: ref.messageId, tenantId: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', data })));

describe('outbound.message.v1 (OM5.4)', () => {
  it('OM5.4 carries MessageQueued, MessageSent, MessageDelivered, MessageFailed and MessageSkipped', () => {
    const at = '2026-12-02T14:00:00.000Z';
    const events = [
      event(OutboundMessageEventTypes.queued, { ...ref, requestId: ref.channelId, locale: 'en-US', queuedAt: at, timeline: { entityRelationshipName: 'incident_msdyn_ocoutboundmessages', customerName: 'Dana', caseName: 'CAS-1', body: 'Hi' } }),
      event(OutboundMessageEventTypes.sent, { ...ref, providerMessageId: 'SM0123', sentAt: at }),
      event(OutboundMessageEventTypes.delivered, { ...ref, providerMessageId: 'SM0123', deliveredAt: at }),
      event(OutboundMessageEventTypes.failed, { ...ref, errorCode: '30003', errorMessage: 'Unreachable destination handset', failedAt: at }),
      event(OutboundMessageEventTypes.skipped, { ...ref, reason: 'option is false: the customer did not consent to this channel', skippedAt: at }),
    ];
    for (const e of events) expect(eventCatalog.parse(Topics.outboundMessage, e).type).toBe(e.type);
  });

  it('refuses a recipient that is not E.164 and a sent event without the provider message id', () => {
    expect(() => eventCatalog.parse(Topics.outboundMessage, event(OutboundMessageEventTypes.skipped, { ...ref, to: '4155552671', reason: 'x', skippedAt: '2026-12-02T14:00:00.000Z' }))).toThrow(/Invalid data/);
    expect(() => eventCatalog.parse(Topics.outboundMessage, event(OutboundMessageEventTypes.sent, { ...ref, sentAt: '2026-12-02T14:00:00.000Z' }))).toThrow(/Invalid data/);
  });
});
