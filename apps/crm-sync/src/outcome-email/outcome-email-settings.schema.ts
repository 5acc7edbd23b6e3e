import { closed } from '@switchboard/validation';
import { z } from 'zod';

export const OUTCOME_EMAIL_LIMITS = { queues: 1000 } as const;
export const DEFAULT_OUTCOME_SUBJECT = 'Session {SESSION_ID} outcome';

const address = z.email().max(320);

/** The body of `PUT /crm/outcome-email/settings` (CS6.1; the subject of CS6.2). */
export const outcomeEmailSettingsSchema = closed({
  global: closed({ enabled: z.boolean(), address: address.nullable().default(null) }),
  queues: z
    .array(closed({ queueId: z.string().min(1).max(200), enabled: z.boolean(), address: address.nullable().default(null) }))
    .max(OUTCOME_EMAIL_LIMITS.queues)
    .refine((queues) => new Set(queues.map((queue) => queue.queueId)).size === queues.length, 'names each queue once')
    .default([]),
  /** `{SESSION_ID}` and `{QUEUE_NAME}` are replaced; one line. */
  subject: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^\r\n]*$/, 'must be one line')
    .default(DEFAULT_OUTCOME_SUBJECT),
});

export type OutcomeEmailSettingsInput = z.output<typeof outcomeEmailSettingsSchema>;
export type OutcomeEmailQueueSetting = OutcomeEmailSettingsInput['queues'][number];

export interface OutcomeEmailSettingsView extends OutcomeEmailSettingsInput {
  updatedAt: string;
}

export const outcomeEmailSettingsExample: z.input<typeof outcomeEmailSettingsSchema> = {
  global: { enabled: true, address: 'contact-center@example.com' },
  queues: [{ queueId: '8469', enabled: true, address: 'billing-team@example.com' }],
  subject: 'Session {SESSION_ID} ({QUEUE_NAME}) outcome',
};
