import { z } from 'zod';
import { eventPhoneNumberSchema } from '../contact/phone-number';
import { defineTopic } from '../events/topic-contract';
import { Topics } from '../topics';

const consentChange = z.object({
  /** The customer's number, E.164. */
  phoneNumber: eventPhoneNumberSchema,
  /** The channel the customer answered on; an opt-out holds for every channel of the tenant. */
  channel: z.enum(['sms', 'whatsapp']),
  /** The keyword as received, normalised (STOP, ARRET, START, …). */
  keyword: z.string().min(1).max(50),
  /** The inbound message that carried it (outbound-messaging's id). */
  inboundMessageId: z.uuid(),
  occurredAt: z.iso.datetime(),
});

export const MessagingConsentEventTypes = {
  /** The customer asked not to be contacted (STOP and its equivalents, OM5.2). */
  withdrawn: 'switchboard.messaging.ConsentWithdrawn',
  /** The customer opted back in (START, UNSTOP). */
  granted: 'switchboard.messaging.ConsentGranted',
} as const;

/**
 * `messaging.consent.v1`: a customer's consent to be contacted, as their SMS or WhatsApp keywords changed
 * it (one consent across channels: a do-not-call list may apply it to voice). Keyed by phone number.
 */
export const messagingConsentTopic = defineTopic(Topics.messagingConsent, {
  [MessagingConsentEventTypes.withdrawn]: consentChange,
  [MessagingConsentEventTypes.granted]: consentChange,
});
export type MessagingConsentChange = z.infer<typeof consentChange>;
