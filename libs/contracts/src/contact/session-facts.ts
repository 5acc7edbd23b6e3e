import { z } from 'zod';
import { e164PhoneNumberSchema } from './phone-number';
import { SessionChannels, sessionTypeSchema } from './session-types';

/** Ids as the platform writes them: strings, or numbers as in the source's samples (`"call_id": 103646`); carried as strings. */
export const externalIdSchema = z
  .union([z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'must be visible ASCII characters without spaces'), z.int().nonnegative()])
  .transform(String);

/** An instant with an offset or Z, carried in UTC ("2026-03-02T14:05:09.000Z"). */
export const instantSchema = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());

const text = (max: number) => z.string().min(1).max(max);
const seconds = z.number().nonnegative().max(10_000_000);
const fileUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000);

export const SessionOutcomes = ['completed', 'failed', 'abandoned'] as const;
export type SessionOutcome = (typeof SessionOutcomes)[number];

export const SessionParticipantTypes = ['end_user', 'agent', 'virtual_agent', 'supervisor'] as const;
export const DisconnectedBy = ['end_user', 'agent', 'system'] as const;
export const MediaKinds = ['photo', 'video', 'other'] as const;

/**
 * Senders' payloads are checked strictly (an unknown key is a 400 naming it); what travels on Kafka is read
 * tolerantly, so a consumer built against this version still reads an event with a field added later.
 */
export type Strictness = 'strict' | 'tolerant';

function objectFor(strictness: Strictness) {
  return <S extends z.ZodRawShape>(shape: S) => (strictness === 'strict' ? z.strictObject(shape) : z.object(shape)) as z.ZodObject<S>;
}

/** The facts each server-side session event carries, in one strictness. */
export function sessionFactShapes(strictness: Strictness) {
  const object = objectFor(strictness);
  const fileReference = object({ id: externalIdSchema, url: fileUrl, contentType: text(100).optional() });

  const started = {
    sessionType: sessionTypeSchema,
    /** Derived from the session type when the sender leaves it out. */
    channel: z.enum(SessionChannels).optional(),
    endUser: object({
      id: externalIdSchema.optional(),
      phoneNumber: e164PhoneNumberSchema.optional(),
      email: z.email().max(320).optional(),
      name: text(200).optional(),
      sdkIdentifier: text(200).optional(),
    }).optional(),
    queue: object({ id: externalIdSchema, path: text(500).optional() }).optional(),
    menuPath: text(500).optional(),
    /** The number the end user dialled (the support line). */
    supportNumber: e164PhoneNumberSchema.optional(),
    startedAt: instantSchema,
  };

  const updated = {
    transfers: z
      .array(
        object({
          fromAgentId: externalIdSchema.optional(),
          toAgentId: externalIdSchema.optional(),
          fromQueueId: externalIdSchema.optional(),
          toQueueId: externalIdSchema.optional(),
          fromQueuePath: text(500).optional(),
          toQueuePath: text(500).optional(),
          at: instantSchema,
        }).refine((transfer) => transfer.toAgentId !== undefined || transfer.toQueueId !== undefined, { message: 'must name toAgentId or toQueueId', path: ['toAgentId'] }),
      )
      .max(100)
      .optional(),
    participantsAdded: z
      .array(object({ type: z.enum(SessionParticipantTypes), id: externalIdSchema, name: text(200).optional(), email: z.email().max(320).optional(), joinedAt: instantSchema.optional() }))
      .max(100)
      .optional(),
    csat: object({ rating: z.int().min(1).max(5), feedback: text(2000).optional() }).optional(),
    disposition: object({ code: text(100), label: text(200).optional(), notes: text(2000).optional() }).optional(),
    agentAssignment: object({ agentId: externalIdSchema, agentEmail: z.email().max(320).optional(), agentCustomId: text(200).optional(), assignedAt: instantSchema }).optional(),
  };

  const ended = {
    outcome: z.enum(SessionOutcomes),
    times: object({ queuedAt: instantSchema.optional(), answeredAt: instantSchema.optional(), endedAt: instantSchema }),
    durations: object({
      waitSeconds: seconds.optional(),
      handleSeconds: seconds.optional(),
      holdSeconds: seconds.optional(),
      talkSeconds: seconds.optional(),
      wrapUpSeconds: seconds.optional(),
    }).optional(),
    recordings: z.array(fileReference).max(100).optional(),
    transcripts: z.array(fileReference).max(100).optional(),
    media: z.array(object({ ...fileReference.shape, kind: z.enum(MediaKinds) })).max(500).optional(),
    diagnostics: object({
      disconnectedBy: z.enum(DisconnectedBy).optional(),
      deviceType: text(100).optional(),
      failureReason: text(500).optional(),
      errorCodes: z.array(text(100)).max(50).optional(),
    }).optional(),
  };

  return { started, updated, ended };
}

const UPDATE_KINDS = ['transfers', 'participantsAdded', 'csat', 'disposition', 'agentAssignment'] as const;

/** An update must say something. */
export function carriesAnUpdate(update: Partial<Record<(typeof UPDATE_KINDS)[number], unknown>>): boolean {
  return UPDATE_KINDS.some((kind) => update[kind] !== undefined);
}
export const EMPTY_UPDATE_MESSAGE = `must carry at least one of ${UPDATE_KINDS.join(', ')}`;

/** queued ≤ answered ≤ ended, naming the first time out of order. */
export function checkTimesInOrder(times: { queuedAt?: string; answeredAt?: string; endedAt: string }, ctx: z.RefinementCtx): void {
  const ordered = (['queuedAt', 'answeredAt', 'endedAt'] as const).filter((key) => times[key] !== undefined);
  for (let i = 1; i < ordered.length; i++) {
    const [earlier, later] = [ordered[i - 1]!, ordered[i]!];
    if (Date.parse(times[later]!) < Date.parse(times[earlier]!)) {
      ctx.addIssue({ code: 'custom', path: ['times', later], message: `must not be before ${earlier}` });
    }
  }
}

/** The `data` of each server-side session event type, in one strictness. */
export function sessionFactSchemas(strictness: Strictness) {
  const object = objectFor(strictness);
  const shapes = sessionFactShapes(strictness);
  return {
    started: object(shapes.started),
    updated: object(shapes.updated).refine(carriesAnUpdate, { message: EMPTY_UPDATE_MESSAGE }),
    ended: object(shapes.ended).superRefine((ended, ctx) => checkTimesInOrder(ended.times, ctx)),
  };
}

/** What a sender posts as `data` (strict). */
export const sessionInputSchemas = sessionFactSchemas('strict');

export type SessionStartedFacts = z.output<typeof sessionInputSchemas.started>;
export type SessionUpdatedFacts = z.output<typeof sessionInputSchemas.updated>;
export type SessionEndedFacts = z.output<typeof sessionInputSchemas.ended>;
