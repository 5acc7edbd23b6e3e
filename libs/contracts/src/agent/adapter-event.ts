import { z } from 'zod';
import { sessionKeyOf, SessionKey } from './adapter-event-keys';
import { adapterEventDataSchema, adapterEventPayloadSchemas, KnownAdapterEventType, knownAdapterEventType } from './adapter-event-payloads';
import { canonicalSessionType, SessionType } from './session-types';

/**
 * What an adapter posts (EB1.1): `{type, data}` exactly as its window.postMessage carried it, plus
 * an optional `id` of the sender's own that makes a resend recognisable (EB2.2).
 */
export const adapterEventEnvelopeSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[\x21-\x7e]{1,200}$/, 'must be 1–200 visible ASCII characters')
    .optional()
    .describe("The sender's id of this event: a resend with the same id is a duplicate. Without one, identical content is."),
  type: z.string().min(1).max(100).regex(/^[A-Za-z][A-Za-z0-9_ ]*$/, 'must be an adapter event name such as New_Call'),
  data: z.record(z.string(), z.unknown()),
});

export type AdapterEventEnvelope = z.infer<typeof adapterEventEnvelopeSchema>;

/** An adapter event that passed its type's schema and has a session to be keyed by. */
export interface ParsedAdapterEvent {
  senderEventId?: string;
  /** The known type in its canonical spelling, or the name as sent for a type this version does not know. */
  adapterEventType: string;
  knownType?: KnownAdapterEventType;
  /** The adapter's data exactly as sent. */
  data: Record<string, unknown>;
  /** `session_type` in its canonical spelling, when it names a known one (EB1.4). */
  sessionType?: SessionType;
  session: SessionKey;
}

export type AdapterEventParse = { success: true; event: ParsedAdapterEvent } | { success: false; issues: z.core.$ZodIssue[] };

export interface AdapterEventParseOptions {
  /** The agent a browser caller's token names; it stands for data.agent_id when keying (EB1.1 a). */
  agentFromToken?: string;
  /** Words the issues (the services pass their validation library's wording). */
  error?: z.core.$ZodErrorMap;
}

/**
 * Checks one adapter event: the envelope, then `data` against its type's schema (EB1.2, EB1.3; an
 * unknown type against the common fields, EB1.5), then that it names the session it is keyed by
 * (EB2.1). Issues carry their full path (`data.call_id`).
 */
export function parseAdapterEvent(value: unknown, options: AdapterEventParseOptions = {}): AdapterEventParse {
  const envelope = adapterEventEnvelopeSchema.safeParse(value, { error: options.error });
  if (!envelope.success) return { success: false, issues: envelope.error.issues };
  const { id, type, data } = envelope.data;
  const knownType = knownAdapterEventType(type);
  const payload = (knownType ? adapterEventPayloadSchemas[knownType] : adapterEventDataSchema).safeParse(data, { error: options.error });
  if (!payload.success) return { success: false, issues: payload.error.issues.map((issue) => ({ ...issue, path: ['data', ...issue.path] })) };
  const key = sessionKeyOf(knownType, data, options.agentFromToken);
  if (!key.ok) return { success: false, issues: [{ code: 'custom', path: ['data', key.field], message: key.message, input: data[key.field] }] };
  const sessionType = typeof data['session_type'] === 'string' ? canonicalSessionType(data['session_type']) : undefined;
  return {
    success: true,
    event: {
      ...(id === undefined ? {} : { senderEventId: id }),
      adapterEventType: knownType ?? type,
      ...(knownType ? { knownType } : {}),
      data,
      ...(sessionType ? { sessionType } : {}),
      session: key.key,
    },
  };
}
