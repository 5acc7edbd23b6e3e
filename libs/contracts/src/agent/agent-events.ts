import { z } from 'zod';
import { defineTopic } from '../events/topic-contract';
import { Topics } from '../topics';
import { SessionKinds } from './adapter-event-keys';
import { adapterEventDataSchema, adapterEventPayloadSchemas, KnownAdapterEventType, KnownAdapterEventTypes } from './adapter-event-payloads';
import { SessionTypes } from './session-types';

/** How an event reached the bridge (EB1.1): signed by a server (HMAC) or sent by an agent's page (bearer token). */
export const AdapterEventIngresses = ['signed', 'agent'] as const;

/**
 * The normalised form of every adapter event on `agent.events.v1`. `payload` keeps the adapter's own
 * fields untouched so that consumers can read what this schema does not name yet; the fields after
 * `payload` were added later and are optional, so older events still parse.
 */
export const agentEventDataSchema = z.object({
  adapterEventType: z.string().min(1).max(100),
  sessionId: z.string().min(1).max(200),
  sessionKind: z.enum(SessionKinds),
  agentId: z.string().max(200).optional(),
  receivedAt: z.iso.datetime(),
  payload: z.record(z.string(), z.unknown()),
  /** The sender's own id of the event, when it gave one (EB2.2). */
  senderEventId: z.string().max(200).optional(),
  /** payload.session_type in its canonical spelling, when it is a known one (EB1.4). */
  sessionType: z.enum(SessionTypes).optional(),
  ingress: z.enum(AdapterEventIngresses).optional(),
  /**
   * Whether payload.custom_data_secured carried a valid signature of the tenant's key (EB1.3);
   * absent when the event had none. Only `customData` is to be trusted, never the payload's token.
   */
  customDataVerified: z.boolean().optional(),
  /** The claims of a verified custom_data_secured; absent when unverified. */
  customData: z.record(z.string(), z.unknown()).optional(),
});

export type AgentEventData = z.infer<typeof agentEventDataSchema>;

export const AgentEventTypes = {
  unknown: 'switchboard.agent.Unknown',
} as const;

/** CloudEvent type of a known adapter event; unknown ones travel as `AgentEventTypes.unknown` (EB1.5). */
export function agentEventType(adapterEventType: string): string {
  return (KnownAdapterEventTypes as readonly string[]).includes(adapterEventType)
    ? `switchboard.agent.${adapterEventType}`
    : AgentEventTypes.unknown;
}

/** A known type's event: its payload checked against the type's own schema on both sides (EB1.2). */
const knownAgentEventSchema = <T extends KnownAdapterEventType>(type: T) => agentEventDataSchema.extend({ payload: adapterEventPayloadSchemas[type] });

type AgentEventSchemas = { [N in KnownAdapterEventType as `switchboard.agent.${N}`]: ReturnType<typeof knownAgentEventSchema<N>> } & {
  [AgentEventTypes.unknown]: ReturnType<typeof unknownAgentEventSchema>;
};

const unknownAgentEventSchema = () => agentEventDataSchema.extend({ payload: adapterEventDataSchema });

function agentEventSchemas(): AgentEventSchemas {
  const schemas: Record<string, z.ZodType> = { [AgentEventTypes.unknown]: unknownAgentEventSchema() };
  for (const name of KnownAdapterEventTypes) schemas[`switchboard.agent.${name}`] = knownAgentEventSchema(name);
  return schemas as AgentEventSchemas;
}

/** `agent.events.v1`: every adapter event, one CloudEvent type per adapter event name (EB2.1). */
export const agentEventsTopic = defineTopic(Topics.agentEvents, agentEventSchemas());
