import type { AgentEventData } from '@switchboard/contracts';

/** The agent an adapter event puts on a session (CS3.1 {AGENT_ID} {AGENT_EMAIL} {AGENT_CUSTOM_ID}). */
export interface SessionAgent {
  agentId: string;
  agentEmail?: string;
  agentCustomId?: string;
}

/** Events that say an agent has the session: the call or chat offered and taken, joined, or transferred to them. */
const AGENT_TAKES_SESSION = new Set(['New_Call', 'Agent_Joined_Call', 'Active_Chat', 'Agent_Joined_Chat']);
const TRANSFERS = new Set(['Transfer_Call', 'Transfer_Chat']);

/**
 * The agent who has a call or chat after this adapter event (CS4 "driven by agent-adapter events"): the
 * event's agent for the events above, the receiving agent of a transfer; undefined for every other event
 * (messages, co-browsing, logins) and for a transfer to a queue.
 */
export function agentOfEvent(data: AgentEventData): SessionAgent | undefined {
  if (data.sessionKind !== 'call' && data.sessionKind !== 'chat') return undefined;
  const payload = data.payload;
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' ? String(value) : undefined);
  let agent: SessionAgent | undefined;
  if (TRANSFERS.has(data.adapterEventType)) {
    const agentId = text(payload['to_agent_id']);
    agent = agentId ? { agentId, agentEmail: text(payload['to_agent_email']), agentCustomId: text(payload['to_agent_custom_id']) } : undefined;
  } else if (AGENT_TAKES_SESSION.has(data.adapterEventType)) {
    const agentId = text(payload['agent_id']) ?? data.agentId;
    agent = agentId ? { agentId, agentEmail: text(payload['agent_email']), agentCustomId: text(payload['agent_custom_id']) } : undefined;
  }
  if (!agent) return undefined;
  return Object.fromEntries(Object.entries(agent).filter(([, value]) => value !== undefined)) as unknown as SessionAgent;
}
