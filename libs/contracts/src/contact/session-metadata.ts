import { z } from 'zod';
import { DisconnectedBy, MediaKinds, SessionParticipantTypes, SessionOutcomes } from './session-facts';
import { SessionTypes } from '../agent/session-types';
import { SessionChannels } from './session-types';

const instant = z.iso.datetime();
const nullableText = z.string().nullable();

/** Where a participant or transfer was learnt from: the platform's session events or the agent adapter's events. */
export const MetadataSources = ['session', 'adapter'] as const;

const fileReference = z.object({ id: z.string(), url: z.string(), contentType: nullableText });

/**
 * The session metadata document (SE3.2), version 1: what storage-export writes as `call-{id}.json` /
 * `chat-{id}.json` and crm-sync sends with a session's outcome. Every field is always present (null
 * when unknown), so readers never test for missing keys. A breaking change means schemaVersion 2.
 */
export const sessionMetadataSchema = z.object({
  schemaVersion: z.literal(1),
  session: z.object({
    id: z.string(),
    type: z.enum(SessionTypes).nullable(),
    channel: z.enum(SessionChannels).nullable(),
    outcome: z.enum(SessionOutcomes).nullable(),
    startedAt: instant.nullable(),
    queuedAt: instant.nullable(),
    answeredAt: instant.nullable(),
    endedAt: instant.nullable(),
    queue: z.object({ id: nullableText, path: nullableText }),
    menuPath: nullableText,
    supportNumber: nullableText,
    campaign: z.object({ id: nullableText, name: nullableText }),
  }),
  endUser: z.object({ id: nullableText, phoneNumber: nullableText, email: nullableText, name: nullableText, sdkIdentifier: nullableText }),
  participants: z.array(
    z.object({
      type: z.enum(SessionParticipantTypes),
      id: z.string(),
      name: nullableText,
      email: nullableText,
      customId: nullableText,
      joinedAt: instant.nullable(),
      source: z.enum(MetadataSources),
    }),
  ),
  transfers: z.array(
    z.object({
      fromAgentId: nullableText,
      toAgentId: nullableText,
      fromQueueId: nullableText,
      toQueueId: nullableText,
      fromQueuePath: nullableText,
      toQueuePath: nullableText,
      at: instant,
      source: z.enum(MetadataSources),
    }),
  ),
  durations: z.object({
    waitSeconds: z.number().nullable(),
    handleSeconds: z.number().nullable(),
    holdSeconds: z.number().nullable(),
    talkSeconds: z.number().nullable(),
    wrapUpSeconds: z.number().nullable(),
  }),
  csat: z.object({ rating: z.int(), feedback: nullableText }).nullable(),
  disposition: z.object({ code: z.string(), label: nullableText, notes: nullableText }).nullable(),
  files: z.object({
    recordings: z.array(fileReference),
    transcripts: z.array(fileReference),
    media: z.array(fileReference.extend({ kind: z.enum(MediaKinds) })),
  }),
  diagnostics: z.object({
    disconnectedBy: z.enum(DisconnectedBy).nullable(),
    deviceType: nullableText,
    failureReason: nullableText,
    errorCodes: z.array(z.string()),
    /** Server-side session events and agent-adapter events the document was built from. */
    sessionEventCount: z.int().nonnegative(),
    adapterEventCount: z.int().nonnegative(),
    /** Session events that arrived after one that happened later (by occurredAt). */
    outOfOrderEventCount: z.int().nonnegative(),
  }),
  /** The session's version (its count of accepted session events) this document was built at. */
  version: z.int().positive(),
  generatedAt: instant,
});

export type SessionMetadata = z.infer<typeof sessionMetadataSchema>;
