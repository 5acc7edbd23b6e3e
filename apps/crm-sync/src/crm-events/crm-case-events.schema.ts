import { caseContactSchema, crmIdSchema } from '@switchboard/contracts';
import { closed } from '@switchboard/validation';
import { z } from 'zod';

const id = crmIdSchema;
const text = (max: number) => z.string().min(1).max(max);

export const CRM_CASE_EVENT_TYPES = ['case.created', 'case.updated', 'case.resolved'] as const;

/** What a CRM posts to `POST /crm/case-events` (checked strictly: an unknown key is a 400 naming it). */
export const crmCaseEventInputSchema = closed({
  /** The CRM's id of this event: a resend with the same id is published once. */
  id,
  type: z.enum(CRM_CASE_EVENT_TYPES),
  occurredAt: z.iso.datetime({ offset: true }),
  case: closed({
    id,
    number: text(100).optional(),
    title: text(500).optional(),
    status: text(100),
    owner: closed({ id: id.optional(), name: text(200).optional(), email: z.email().max(320).optional() }).optional(),
  }),
  // The contract's contact, but strict: an unknown key is refused here, tolerated on Kafka.
  contact: closed(caseContactSchema.shape),
});

export type CrmCaseEventInput = z.output<typeof crmCaseEventInputSchema>;

export const crmCaseEventExample: z.input<typeof crmCaseEventInputSchema> = {
  id: 'evt-20260302-0001',
  type: 'case.created',
  occurredAt: '2026-03-02T14:20:00Z',
  case: { id: 'case-4711', number: 'CAS-01002-P7Q2', title: 'Invoice shows a wrong amount', status: 'New', owner: { id: 'u-17', name: 'Kim Lee' } },
  contact: { id: 'acc_1', phoneNumber: '+14155552671', email: 'dana@example.com', name: 'Dana Reyes', locale: 'en-US' },
};

export const webhookSecretSchema = closed({ secret: z.string().min(32).max(256) });
