import { KnownAdapterEventType, MAX_ADAPTER_ID_LENGTH } from './adapter-event-payloads';

/** What an event's Kafka key identifies, by the data field it comes from. */
export const SessionKeyFields = {
  call_id: 'call',
  chat_id: 'chat',
  cobrowse_session_id: 'cobrowse',
  agent_id: 'agent',
  /** Agent_Assist_Started names its session only by the platform's session_id. */
  session_id: 'session',
} as const;

export type SessionKeyField = keyof typeof SessionKeyFields;
export const SessionKinds = ['call', 'chat', 'cobrowse', 'agent', 'session'] as const;
export type SessionKind = (typeof SessionKinds)[number];

const CALL = ['call_id'] as const;
const CHAT = ['chat_id'] as const;
const COBROWSE = ['cobrowse_session_id'] as const;
const AGENT = ['agent_id'] as const;

/**
 * The field each type is keyed by (EB2.1), first present wins. One field per type where the source
 * allows, so that all events of one session share a key and stay in order: a co-browse session is
 * keyed by its own id even when an event also names the call or chat it started in.
 */
const KEY_FIELDS: Record<KnownAdapterEventType, readonly SessionKeyField[]> = {
  New_Call: CALL,
  End_Call: CALL,
  Call_Redaction_Started: CALL,
  Call_Redaction_Ended: CALL,
  Transfer_Call: CALL,
  Agent_Joined_Call: CALL,
  New_Chat: CHAT,
  Active_Chat: CHAT,
  Chat_Inbound_Message: CHAT,
  Chat_Outbound_Message: CHAT,
  End_Chat: CHAT,
  Dismissed_Chat: CHAT,
  Transfer_Chat: CHAT,
  Agent_Joined_Chat: CHAT,
  Cobrowse_Session_Started: COBROWSE,
  Cobrowse_Session_Remote_Control_Changed: COBROWSE,
  Cobrowse_Session_Full_Device_Changed: COBROWSE,
  Cobrowse_Session_Ended: COBROWSE,
  Agent_Login: AGENT,
  Agent_Logout: AGENT,
  // "chat_id o call_id" in the source: the one present.
  Party_Added: ['call_id', 'chat_id'],
  Agent_Assist_Started: ['call_id', 'chat_id', 'session_id'],
  // Server side (crm-sync): the session the record belongs to, else the agent whose page pops it.
  CRM_Record_Pop: ['call_id', 'chat_id', 'agent_id'],
};

/** An event of a type this version does not know (EB1.5) is keyed by the first id it carries. */
const UNKNOWN_TYPE_KEY_FIELDS: readonly SessionKeyField[] = ['call_id', 'chat_id', 'cobrowse_session_id', 'agent_id', 'session_id'];

export interface SessionKey {
  sessionId: string;
  sessionKind: SessionKind;
}

export type SessionKeyResult = { ok: true; key: SessionKey } | { ok: false; field: string; message: string };

/**
 * The session an event belongs to. `agentFromToken` is the agent a browser's bearer token names: it
 * stands for `agent_id`, which such a caller may not choose for itself.
 */
export function sessionKeyOf(type: KnownAdapterEventType | undefined, data: Record<string, unknown>, agentFromToken?: string): SessionKeyResult {
  const fields = type ? KEY_FIELDS[type] : UNKNOWN_TYPE_KEY_FIELDS;
  for (const field of fields) {
    const value = field === 'agent_id' && agentFromToken !== undefined ? agentFromToken : data[field];
    if ((typeof value === 'string' && value.length > 0) || typeof value === 'number') {
      const sessionId = String(value);
      if (sessionId.length > MAX_ADAPTER_ID_LENGTH) return { ok: false, field, message: `must be at most ${MAX_ADAPTER_ID_LENGTH} characters` };
      return { ok: true, key: { sessionId, sessionKind: SessionKeyFields[field] } };
    }
  }
  const [first, ...others] = fields;
  const purpose = type ? `for ${type} events` : 'to key an event of an unknown type';
  const alternatives = others.length > 0 ? ` (or ${others.join(' or ')})` : '';
  return { ok: false, field: first as string, message: `is required ${purpose}${alternatives}` };
}
