import { z } from 'zod';
import { defineTopic } from '../events/topic-contract';
import { Topics } from '../topics';
import { carriesAnUpdate, checkTimesInOrder, EMPTY_UPDATE_MESSAGE, instantSchema, sessionFactShapes } from './session-facts';
import { sessionMetadataSchema } from './session-metadata';
import { SessionChannels } from './session-types';

export const ContactSessionEventTypes = {
  started: 'switchboard.contact.SessionStarted',
  updated: 'switchboard.contact.SessionUpdated',
  ended: 'switchboard.contact.SessionEnded',
} as const;

/** What every contact-session event says about where it stands in its session. */
const eventPosition = {
  sessionId: z.string().min(1).max(200),
  /** When it happened on the platform (the sender's occurredAt). */
  occurredAt: instantSchema,
  /** The session's version after this event: 1, 2, 3, … in acceptance order. */
  version: z.int().positive(),
};

const facts = sessionFactShapes('tolerant');

export const sessionStartedSchema = z.object({ ...eventPosition, ...facts.started, channel: z.enum(SessionChannels) });
export const sessionUpdatedSchema = z.object({ ...eventPosition, ...facts.updated }).refine(carriesAnUpdate, { message: EMPTY_UPDATE_MESSAGE });
export const sessionEndedSchema = z
  .object({ ...eventPosition, ...facts.ended, metadata: sessionMetadataSchema })
  .superRefine((ended, ctx) => checkTimesInOrder(ended.times, ctx));

export type SessionStarted = z.output<typeof sessionStartedSchema>;
export type SessionUpdated = z.output<typeof sessionUpdatedSchema>;
export type SessionEnded = z.output<typeof sessionEndedSchema>;

/**
 * `contact.session.v1`: the platform's server-side session events, merged with the agent adapter's,
 * keyed by session id (the call, chat or screen-share id). crm-sync and storage-export build on it.
 */
export const contactSessionTopic = defineTopic(Topics.contactSession, {
  [ContactSessionEventTypes.started]: sessionStartedSchema,
  [ContactSessionEventTypes.updated]: sessionUpdatedSchema,
  [ContactSessionEventTypes.ended]: sessionEndedSchema,
});
