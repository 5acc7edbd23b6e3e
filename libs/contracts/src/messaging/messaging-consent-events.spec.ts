import { describe, expect, it } from 'vitest';
import { eventCatalog } from '../catalog';
import { createCloudEvent } from '../events/cloud-event';
import { Topics } from '../topics';
import { InboundConversationEventTypes } from './inbound-conversation-events';
import { MessagingConsentEventTypes } from './messaging-consent-events';

const event = (type: string, data: object) =>
  JSON.parse(JSON.stringify(createCloudEvent({ type, source: '/switchboard/outbound-messaging', subject: 'x', tenantId: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', data })));
const inboundMessageId = '0d9c8b7a-6f5e-4d3c-8b2a-1f0e9d8c7b6a';
const at = '2026-12-02T14:00:00.000Z';

describe('conversation.inbound.v1 (OM5.1) and messaging.consent.v1 (OM5.2)', () => {
  it('OM5.1 an inbound reply, linked to the message it answers, with the keyword it was', () => {
    const data = {
      inboundMessageId,
      channel: 'sms',
      from: '+14155552671',
      to: '72345',
      channelId: '1e2d3c4b-5a69-4788-8796-a5b4c3d2e1f0',
      body: 'STOP',
      providerMessageId: 'SM0123',
      inReplyTo: { messageId: inboundMessageId, configurationId: '761e062f-c734-ef11-8e4f-00224808a166' },
      keyword: { action: 'opt_out', keyword: 'STOP' },
      receivedAt: at,
    };
    expect(eventCatalog.parse(Topics.conversationInbound, event(InboundConversationEventTypes.received, data)).type).toBe(InboundConversationEventTypes.received);
    expect(() => eventCatalog.parse(Topics.conversationInbound, event(InboundConversationEventTypes.received, { ...data, from: '4155552671' }))).toThrow();
  });

  it('OM5.2 consent withdrawn and granted carry the number, channel and keyword', () => {
    const change = { phoneNumber: '+14155552671', channel: 'sms', keyword: 'ARRET', inboundMessageId, occurredAt: at };
    for (const type of Object.values(MessagingConsentEventTypes)) expect(eventCatalog.parse(Topics.messagingConsent, event(type, change)).type).toBe(type);
    expect(() => eventCatalog.parse(Topics.messagingConsent, event(MessagingConsentEventTypes.withdrawn, { ...change, keyword: '' }))).toThrow();
  });
});
