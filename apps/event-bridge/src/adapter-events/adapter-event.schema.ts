import { agentEventDataSchema, SessionKinds } from '@switchboard/contracts';
import { z } from 'zod';

/** Which id keys a session, in order of precedence; login/logout events are keyed by the agent (EB2.1). */
const sessionKeys: [string, (typeof SessionKinds)[number]][] = [
  ['call_id', 'call'],
  ['chat_id', 'chat'],
  ['cobrowse_session_id', 'cobrowse'],
  ['agent_id', 'agent'],
];

// The ids become the CloudEvent's sessionId / agentId: checked here with the contract's own limits,
// so an id the event could not carry is a 400 naming the field, not a failure while publishing.
const MAX_SESSION_ID_LENGTH = agentEventDataSchema.shape.sessionId.maxLength ?? Infinity;
const MAX_AGENT_ID_LENGTH = agentEventDataSchema.shape.agentId.unwrap().maxLength ?? Infinity;

const idLimits: Record<string, number> = {
  call_id: MAX_SESSION_ID_LENGTH,
  chat_id: MAX_SESSION_ID_LENGTH,
  cobrowse_session_id: MAX_SESSION_ID_LENGTH,
  agent_id: Math.min(MAX_SESSION_ID_LENGTH, MAX_AGENT_ID_LENGTH),
};

function checkIdLengths(data: Record<string, unknown>, ctx: z.RefinementCtx): void {
  for (const [key, max] of Object.entries(idLimits)) {
    const value = data[key];
    if (typeof value === 'string' && value.length > max) {
      ctx.addIssue({ code: 'custom', path: [key], message: `must be at most ${max} characters` });
    }
  }
}

/** What an adapter posts (EB1.1): `{type, data}` exactly as its window.postMessage carried it. */
export const adapterEventSchema = z.strictObject({
  type: z.string().min(1).max(100).regex(/^[A-Za-z][A-Za-z0-9_ ]*$/, 'must be an adapter event name such as New_Call'),
  data: z.record(z.string(), z.unknown()).superRefine(checkIdLengths),
});

export type AdapterEventInput = z.infer<typeof adapterEventSchema>;

export function sessionOf(data: Record<string, unknown>): { sessionId: string; sessionKind: (typeof SessionKinds)[number] } | undefined {
  for (const [key, kind] of sessionKeys) {
    const value = data[key];
    if ((typeof value === 'string' && value.length > 0) || typeof value === 'number') return { sessionId: String(value), sessionKind: kind };
  }
  return undefined;
}
