import { z } from 'zod';
import { e164PhoneNumberSchema } from '../contact/phone-number';
import { defineTopic } from '../events/topic-contract';
import { Topics } from '../topics';

export const CrmCaseEventTypes = {
  created: 'switchboard.crm.CaseCreated',
  updated: 'switchboard.crm.CaseUpdated',
  resolved: 'switchboard.crm.CaseResolved',
} as const;

const text = (max: number) => z.string().min(1).max(max);
/** A CRM's id of a case, contact, user or event. */
export const crmIdSchema = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'must be visible ASCII characters without spaces');
const id = crmIdSchema;

/** The customer a case is about, as the CRM knows them: what a notification needs to reach them in their language. */
export const caseContactSchema = z.object({
  id: id.optional(),
  /** E.164 (+14155552671). */
  phoneNumber: e164PhoneNumberSchema.optional(),
  email: z.email().max(320).optional(),
  name: text(200).optional(),
  /** BCP 47 (en, fr-CA, zh-Hans-CN). */
  locale: z
    .string()
    .max(35)
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'must be a BCP 47 language tag such as en or fr-CA')
    .optional(),
});

/**
 * A CRM's case event (scenario E2): the case as it is after the change. `crmEventId` is the CRM's id of
 * the event (crm-sync publishes each once per tenant); `occurredAt` when it happened in the CRM.
 */
export const crmCaseEventSchema = z.object({
  crmEventId: id,
  caseId: id,
  caseNumber: text(100).optional(),
  title: text(500).optional(),
  /** The CRM's own status name (New, In progress, Resolved, …). */
  status: text(100),
  contact: caseContactSchema,
  owner: z.object({ id: id.optional(), name: text(200).optional(), email: z.email().max(320).optional() }).optional(),
  occurredAt: z.iso.datetime({ offset: true }),
});

export type CrmCaseEvent = z.infer<typeof crmCaseEventSchema>;
export type CaseContact = z.infer<typeof caseContactSchema>;

/**
 * `crm.case-events.v1`: cases created, updated and resolved in a tenant's CRM, reported to crm-sync's signed
 * webhook and published by crm-sync, keyed by case id. outbound-messaging's automated rules consume it.
 */
export const crmCaseEventsTopic = defineTopic(Topics.crmCaseEvents, {
  [CrmCaseEventTypes.created]: crmCaseEventSchema,
  [CrmCaseEventTypes.updated]: crmCaseEventSchema,
  [CrmCaseEventTypes.resolved]: crmCaseEventSchema,
});
