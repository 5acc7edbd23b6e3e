import { z } from 'zod';
import { eventPhoneNumberSchema } from '../contact/phone-number';
import { defineTopic } from '../events/topic-contract';
import { Topics } from '../topics';

/** A message's tracking states (OM3.3); `sending` is internal (claimed, handed to the provider) and has no event. */
export const OutboundMessageStatuses = ['queued', 'sending', 'sent', 'delivered', 'failed', 'skipped'] as const;
export type OutboundMessageStatus = (typeof OutboundMessageStatuses)[number];

const messageRef = {
  messageId: z.uuid(),
  // Configuration ids are GUIDs of any version (the source's flows hold Dynamics-style ids).
  configurationId: z.guid(),
  channelId: z.uuid(),
  channel: z.enum(['sms', 'whatsapp']),
  /** The customer's number, E.164. */
  to: eventPhoneNumberSchema,
};

export const messageQueuedSchema = z.object({
  ...messageRef,
  requestId: z.uuid(),
  locale: z.string().max(35),
  queuedAt: z.iso.datetime(),
  /** OM2.2: present when the configuration shows messages in the customer's timeline: the activity to record. */
  timeline: z.object({ entityRelationshipName: z.string().min(1).max(200), customerName: z.string().max(200), caseName: z.string().max(200), body: z.string().max(10_000) }).optional(),
});
export const messageSentSchema = z.object({ ...messageRef, providerMessageId: z.string().min(1).max(200), sentAt: z.iso.datetime() });
export const messageDeliveredSchema = z.object({ ...messageRef, providerMessageId: z.string().min(1).max(200), deliveredAt: z.iso.datetime() });
export const messageFailedSchema = z.object({
  ...messageRef,
  providerMessageId: z.string().min(1).max(200).optional(),
  errorCode: z.string().max(100).optional(),
  errorMessage: z.string().max(1_000),
  failedAt: z.iso.datetime(),
});
export const messageSkippedSchema = z.object({ ...messageRef, reason: z.string().max(1_000), skippedAt: z.iso.datetime() });

export const OutboundMessageEventTypes = {
  queued: 'switchboard.messaging.MessageQueued',
  sent: 'switchboard.messaging.MessageSent',
  delivered: 'switchboard.messaging.MessageDelivered',
  failed: 'switchboard.messaging.MessageFailed',
  skipped: 'switchboard.messaging.MessageSkipped',
} as const;

/** `outbound.message.v1`: each outbound message's tracking (OM5.4), keyed by message id so its events stay in order. */
export const outboundMessageTopic = defineTopic(Topics.outboundMessage, {
  [OutboundMessageEventTypes.queued]: messageQueuedSchema,
  [OutboundMessageEventTypes.sent]: messageSentSchema,
  [OutboundMessageEventTypes.delivered]: messageDeliveredSchema,
  [OutboundMessageEventTypes.failed]: messageFailedSchema,
  [OutboundMessageEventTypes.skipped]: messageSkippedSchema,
});
