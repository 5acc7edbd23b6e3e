import { contactSessionExamples, externalIdSchema, instantSchema, sessionInputSchemas } from '@switchboard/contracts';
import { z } from 'zod';

// The session id becomes the CloudEvent's subject and Kafka key, so it has the contract's limits.
const sessionId = externalIdSchema;

/** What the contact-center platform posts: one server-side session event, its `data` checked against the contract. */
export const contactSessionEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('session.started'), sessionId, occurredAt: instantSchema, data: sessionInputSchemas.started }),
  z.strictObject({ type: z.literal('session.updated'), sessionId, occurredAt: instantSchema, data: sessionInputSchemas.updated }),
  z.strictObject({ type: z.literal('session.ended'), sessionId, occurredAt: instantSchema, data: sessionInputSchemas.ended }),
]);

export type ContactSessionEventInput = z.output<typeof contactSessionEventSchema>;

export const contactSessionEventExample = {
  type: 'session.started',
  sessionId: '103646',
  occurredAt: '2026-03-02T14:00:00.000Z',
  data: contactSessionExamples.started,
} satisfies z.input<typeof contactSessionEventSchema>;

/** A session id in a path, with the same rules as in a posted event. */
export const sessionIdParameter = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'must be visible ASCII characters without spaces');
