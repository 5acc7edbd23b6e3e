import { z } from 'zod';
import { defineTopic } from '../events/topic-contract';
import { Topics } from '../topics';

/** Agent-adapter event names as the adapters send them (EB1.2). */
export const KnownAdapterEventTypes = [
  'New_Call',
  'End_Call',
  'Call_Redaction_Started',
  'Call_Redaction_Ended',
  'New_Chat',
  'Active_Chat',
  'Chat_Inbound_Message',
  'Chat_Outbound_Message',
  'End_Chat',
  'Dismissed_Chat',
  'Agent_Login',
  'Agent_Logout',
  'Cobrowse_Session_Started',
  'Cobrowse_Session_Remote_Control_Changed',
  'Cobrowse_Session_Full_Device_Changed',
  'Cobrowse_Session_Ended',
  'Transfer_Chat',
  'Transfer_Call',
  'Party_Added',
  'Agent_Joined_Chat',
  'Agent_Joined_Call',
  'Agent_Assist_Started',
  'CRM_Record_Pop',
] as const;

export type KnownAdapterEventType = (typeof KnownAdapterEventTypes)[number];

export const SessionKinds = ['call', 'chat', 'cobrowse', 'agent'] as const;

/**
 * The normalised form of every adapter event on `agent.events.v1`. `payload` keeps the adapter's own
 * fields untouched so that consumers can read what this schema does not name yet.
 */
export const agentEventDataSchema = z.object({
  adapterEventType: z.string().min(1).max(100),
  sessionId: z.string().min(1).max(200),
  sessionKind: z.enum(SessionKinds),
  agentId: z.string().max(200).optional(),
  receivedAt: z.iso.datetime(),
  payload: z.record(z.string(), z.unknown()),
});

export type AgentEventData = z.infer<typeof agentEventDataSchema>;

/** CloudEvent type of a known adapter event; unknown ones travel as `AgentEventTypes.unknown` (EB1.5). */
export function agentEventType(adapterEventType: string): string {
  return (KnownAdapterEventTypes as readonly string[]).includes(adapterEventType)
    ? `switchboard.agent.${adapterEventType}`
    : AgentEventTypes.unknown;
}

export const AgentEventTypes = {
  unknown: 'switchboard.agent.Unknown',
} as const;

type AgentEventSchemas = { [N in KnownAdapterEventType as `switchboard.agent.${N}`]: typeof agentEventDataSchema } & {
  [AgentEventTypes.unknown]: typeof agentEventDataSchema;
};

function agentEventSchemas(): AgentEventSchemas {
  const schemas: Record<string, typeof agentEventDataSchema> = { [AgentEventTypes.unknown]: agentEventDataSchema };
  for (const name of KnownAdapterEventTypes) schemas[`switchboard.agent.${name}`] = agentEventDataSchema;
  return schemas as AgentEventSchemas;
}

/** `agent.events.v1`: every adapter event, one CloudEvent type per adapter event name (EB2.1). */
export const agentEventsTopic = defineTopic(Topics.agentEvents, agentEventSchemas());
