import { SessionKinds } from '@switchboard/contracts';
import { z } from 'zod';

/** What an adapter posts (EB1.1): `{type, data}` exactly as its window.postMessage carried it. */
export const adapterEventSchema = z.strictObject({
  type: z.string().min(1).max(100).regex(/^[A-Za-z][A-Za-z0-9_ ]*$/, 'must be an adapter event name such as New_Call'),
  data: z.record(z.string(), z.unknown()),
});

export type AdapterEventInput = z.infer<typeof adapterEventSchema>;

/** Which id keys a session, in order of precedence; login/logout events are keyed by the agent (EB2.1). */
const sessionKeys: [string, (typeof SessionKinds)[number]][] = [
  ['call_id', 'call'],
  ['chat_id', 'chat'],
  ['cobrowse_session_id', 'cobrowse'],
  ['agent_id', 'agent'],
];

export function sessionOf(data: Record<string, unknown>): { sessionId: string; sessionKind: (typeof SessionKinds)[number] } | undefined {
  for (const [key, kind] of sessionKeys) {
    const value = data[key];
    if ((typeof value === 'string' && value.length > 0) || typeof value === 'number') return { sessionId: String(value), sessionKind: kind };
  }
  return undefined;
}
