import { z } from 'zod';
import { eventPhoneNumberSchema } from '../contact/phone-number';
import { defineTopic } from '../events/topic-contract';
import { Topics } from '../topics';

/** A customer's message to one of the tenant's senders, for routing to an agent like any inbound conversation (OM5.1). */
export const inboundMessageReceivedSchema = z.object({
  inboundMessageId: z.uuid(),
  channel: z.enum(['sms', 'whatsapp']),
  /** The customer, E.164. */
  from: eventPhoneNumberSchema,
  /** The tenant's sender (number, short code, WhatsApp sender). */
  to: z.string().min(1).max(50),
  channelId: z.uuid(),
  body: z.string().max(10_000),
  providerMessageId: z.string().min(1).max(200),
  /** The outbound message it answers: the latest to this customer from this sender. */
  inReplyTo: z.object({ messageId: z.uuid(), configurationId: z.guid() }).optional(),
  /** Set when the whole message was an opt-out, opt-in or help keyword (OM5.2). */
  keyword: z.object({ action: z.enum(['opt_out', 'opt_in', 'help']), keyword: z.string().max(50) }).optional(),
  receivedAt: z.iso.datetime(),
});

export const InboundConversationEventTypes = { received: 'switchboard.conversation.InboundMessageReceived' } as const;

/** `conversation.inbound.v1`: inbound customer messages (OM5.1), keyed by the customer's number so a conversation stays in order. */
export const inboundConversationTopic = defineTopic(Topics.conversationInbound, {
  [InboundConversationEventTypes.received]: inboundMessageReceivedSchema,
});
