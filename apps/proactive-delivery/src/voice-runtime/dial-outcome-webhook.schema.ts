import { DialOutcomes } from '@switchboard/contracts';
import { z } from 'zod';
import { DialOutcomeReport } from './voice-runtime';

/** What the voice runtime posts when an attempt ends (PD4.3); unknown fields are refused. */
export const dialOutcomeWebhookSchema = z.strictObject({
  attemptId: z.uuid({ error: 'must be the attemptId of the dial request (a UUID)' }),
  outcome: z.enum(DialOutcomes, { error: () => `must be one of ${DialOutcomes.join(', ')}` }),
  providerCallId: z.string().min(1).max(256).optional(),
  occurredAt: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-11-21T09:30:00.000Z' })
    .transform((value) => new Date(value))
    .optional(),
});

export const dialOutcomeWebhookExample: z.input<typeof dialOutcomeWebhookSchema> = {
  attemptId: '3f0c2a9e-6b1d-4c8e-9a57-0d2e4b6f8a13',
  outcome: 'answered',
  providerCallId: 'call-7f3a',
  occurredAt: '2026-11-21T09:30:00.000Z',
};

export function toDialOutcomeReport(input: z.output<typeof dialOutcomeWebhookSchema>): DialOutcomeReport {
  const { attemptId, outcome, providerCallId, occurredAt } = input;
  return {
    attemptId,
    outcome,
    ...(providerCallId === undefined ? {} : { providerCallId }),
    ...(occurredAt === undefined ? {} : { occurredAt }),
  };
}
