import { z } from 'zod';
import { eventPhoneNumberSchema } from '../contact/phone-number';
import { defineTopic } from '../events/topic-contract';
import { Topics } from '../topics';

/** Delivery statuses (PD4.4). */
export const DeliveryStatuses = ['Scheduled', 'Dialing', 'Retrying', 'Completed', 'Failed', 'Expired', 'Cancelled', 'Blocked'] as const;
export type DeliveryStatus = (typeof DeliveryStatuses)[number];

/** Dial outcomes reported by a voice runtime (PD4.3). */
export const DialOutcomes = ['answered', 'busy', 'no_answer', 'voicemail', 'failed'] as const;
export type DialOutcome = (typeof DialOutcomes)[number];

const deliveryRef = {
  deliveryId: z.uuid(),
  // Dynamics GUIDs (e.g. the seed's ...-ef11-...) are not RFC 4122-versioned, so any GUID.
  configurationId: z.guid(),
  contactId: z.string().min(1).max(100),
};

export const deliveryRequestedSchema = z.object({
  ...deliveryRef,
  phoneNumber: eventPhoneNumberSchema,
  windows: z.array(z.object({ start: z.iso.datetime(), end: z.iso.datetime() })),
  inputAttributes: z.record(z.string(), z.string()),
});
export const deliveryScheduledSchema = z.object({ ...deliveryRef, nextAttemptAt: z.iso.datetime() });
export const deliveryAttemptedSchema = z.object({
  ...deliveryRef,
  attempt: z.int().min(1),
  outcome: z.enum(DialOutcomes),
  nextAttemptAt: z.iso.datetime().optional(),
});
export const deliveryClosedSchema = z.object({
  ...deliveryRef,
  status: z.enum(DeliveryStatuses),
  attempts: z.int().min(0),
  reason: z.string().max(1000).optional(),
});

export const DeliveryEventTypes = {
  requested: 'switchboard.proactive.DeliveryRequested',
  scheduled: 'switchboard.proactive.DeliveryScheduled',
  attempted: 'switchboard.proactive.DeliveryAttempted',
  completed: 'switchboard.proactive.DeliveryCompleted',
  failed: 'switchboard.proactive.DeliveryFailed',
  expired: 'switchboard.proactive.DeliveryExpired',
  cancelled: 'switchboard.proactive.DeliveryCancelled',
  blocked: 'switchboard.proactive.DeliveryBlocked',
} as const;

/** `proactive.delivery.v1`: a delivery's lifecycle (PD4.6), keyed by delivery id. */
export const proactiveDeliveryTopic = defineTopic(Topics.proactiveDelivery, {
  [DeliveryEventTypes.requested]: deliveryRequestedSchema,
  [DeliveryEventTypes.scheduled]: deliveryScheduledSchema,
  [DeliveryEventTypes.attempted]: deliveryAttemptedSchema,
  [DeliveryEventTypes.completed]: deliveryClosedSchema,
  [DeliveryEventTypes.failed]: deliveryClosedSchema,
  [DeliveryEventTypes.expired]: deliveryClosedSchema,
  [DeliveryEventTypes.cancelled]: deliveryClosedSchema,
  [DeliveryEventTypes.blocked]: deliveryClosedSchema,
});
