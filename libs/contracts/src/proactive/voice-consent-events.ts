import { z } from 'zod';
import { eventPhoneNumberSchema } from '../contact/phone-number';
import { defineTopic } from '../events/topic-contract';
import { Topics } from '../topics';

/** How an administrator changed the do-not-call list: one entry through its API, or a bulk import. */
export const DoNotCallOrigins = ['api', 'import'] as const;

const change = {
  phoneNumber: eventPhoneNumberSchema,
  origin: z.enum(DoNotCallOrigins),
  occurredAt: z.iso.datetime(),
};

export const doNotCallListedSchema = z.object({
  ...change,
  reason: z.string().max(500).nullable(),
  /** null: listed until removed. */
  expiresAt: z.iso.datetime().nullable(),
});
export const doNotCallUnlistedSchema = z.object(change);

export const VoiceConsentEventTypes = {
  /** An administrator listed the number (or replaced its entry's reason and expiry). */
  listed: 'switchboard.voice.DoNotCallListed',
  /** An administrator removed the number's entry. */
  unlisted: 'switchboard.voice.DoNotCallUnlisted',
} as const;

/**
 * `voice.consent.v1`: proactive-delivery's do-not-call list as administrators change it (PD3.1), for one consent
 * across channels (outbound-messaging suppresses messages to a listed number). Keyed by phone number. Listings
 * that came from `messaging.consent.v1` (a customer's SMS keyword) are never published here: no echo.
 */
export const voiceConsentTopic = defineTopic(Topics.voiceConsent, {
  [VoiceConsentEventTypes.listed]: doNotCallListedSchema,
  [VoiceConsentEventTypes.unlisted]: doNotCallUnlistedSchema,
});
export type DoNotCallListed = z.infer<typeof doNotCallListedSchema>;
