import { defineJobQueue } from '@switchboard/jobs';
import { z } from 'zod';
import { COMMENT_EVENTS } from './record-comments';

/**
 * The steps of a session's CRM flow (CS4), each a durable job keyed per session and step:
 * account → record (chained: each step's transaction schedules the next), then after the session
 * update and comments, and `forget`, which removes the custom lookup URLs from the outbox (CS5.3).
 */
export const SESSION_STEPS = ['account', 'record', 'update', 'comment', 'forget'] as const;
export type SessionStep = (typeof SESSION_STEPS)[number];

const sessionStepPayload = z.object({
  sessionId: z.string().min(1).max(200),
  step: z.enum(SESSION_STEPS),
  /** update: variables that hold for this update only (its subject and description). */
  values: z.record(z.string(), z.string()).optional(),
  /** comment: what to say, as plain text (converted to HTML when the tenant wants it, CS2.7). */
  comment: z.object({ event: z.enum([...COMMENT_EVENTS, 'file_upload']), text: z.string().max(10_000) }).optional(),
});

export type SessionStepPayload = z.infer<typeof sessionStepPayload>;

export const sessionStepQueue = defineJobQueue('crm-sync.session-step', sessionStepPayload);

/** `<tenant>/<session>/`: every step job of one session (the session id encoded, so "a" never matches "a/b"). */
export function sessionKeyPrefix(tenantId: string, sessionId: string): string {
  return `${tenantId}/${encodeURIComponent(sessionId)}/`;
}

/** The job key of one step: `account`, `record`, `update/<what>`, `comment/<what>` (`comment/upload/<file>`, CS2.6), `forget`. */
export function stepKey(tenantId: string, sessionId: string, name: string): string {
  return `${sessionKeyPrefix(tenantId, sessionId)}${name}`;
}

/** The step's name within its session, from its job key. */
export function stepNameOf(key: string, tenantId: string, sessionId: string): string {
  return key.slice(sessionKeyPrefix(tenantId, sessionId).length);
}
