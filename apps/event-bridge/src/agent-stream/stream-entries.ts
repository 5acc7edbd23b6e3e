import { CatalogEvent, recordUrlSchema, Topics } from '@switchboard/contracts';

/** One message for one agent's page, as stored in agent_stream_entry and sent as a Server-Sent Event. */
export interface NewStreamEntry {
  tenantId: string;
  agentId: string;
  /** The SSE `event:` name: `CRM_Record_Pop` or the adapter event's own name (`New_Call`, `Transfer_Chat`, …). */
  type: string;
  /** The SSE `data:`, shaped like the adapters' `window.postMessage` ({type, data}) so page hooks read both alike. */
  data: StreamMessage;
}

export interface StreamMessage {
  type: string;
  /** The CloudEvent id: the same pop or adapter event however often it is delivered. */
  eventId: string;
  time: string;
  data: Record<string, unknown>;
}

export const RECORD_POP_TYPE = 'CRM_Record_Pop';
/** What an adapter event whose name cannot be an SSE event name is sent as. */
export const UNKNOWN_EVENT_TYPE = 'Unknown';

// Adapter names as the ingest endpoint accepts them; anything else (a line break would end the SSE field) is renamed.
const SSE_EVENT_NAME = /^[A-Za-z][A-Za-z0-9_ ]{0,99}$/;
/** Payload fields naming the agents an adapter event concerns: its agent, and both sides of a transfer. */
const AGENT_FIELDS = ['agent_id', 'from_agent_id', 'to_agent_id'] as const;
const MAX_AGENT_ID_LENGTH = 200;

/** A pop goes to the one agent it names, under the event's tenant. */
export function entriesOfPop(event: CatalogEvent<typeof Topics.crmRecordPops>): NewStreamEntry[] {
  const { agentId, ...pop } = event.data;
  return [{ tenantId: event.tenantid, agentId, type: RECORD_POP_TYPE, data: message(RECORD_POP_TYPE, event, pop) }];
}

/**
 * An adapter event goes to every agent it names (for a transfer, the agent it leaves and the one it reaches),
 * with the adapter's own fields as data. An adapter-sent `CRM_Record_Pop` is delivered only with an http(s)
 * `recordUrl`: the page loads that URL into a frame.
 */
export function entriesOfAgentEvent(event: CatalogEvent<typeof Topics.agentEvents>): NewStreamEntry[] {
  const { adapterEventType, payload } = event.data;
  if (adapterEventType === RECORD_POP_TYPE && !recordUrlSchema.safeParse(payload['recordUrl']).success) return [];
  const type = SSE_EVENT_NAME.test(adapterEventType) ? adapterEventType : UNKNOWN_EVENT_TYPE;
  const data = message(type, event, payload);
  return agentsNamedIn(event.data).map((agentId) => ({ tenantId: event.tenantid, agentId, type, data }));
}

function message(type: string, event: { id: string; time: string }, data: Record<string, unknown>): StreamMessage {
  return { type, eventId: event.id, time: event.time, data };
}

function agentsNamedIn({ agentId, payload }: CatalogEvent<typeof Topics.agentEvents>['data']): string[] {
  const named = [agentId, ...AGENT_FIELDS.map((field) => agentIdOf(payload[field]))];
  return [...new Set(named.filter((id): id is string => id !== undefined && id.length > 0))];
}

/** Adapters send agent ids as numbers (`"agent_id": 2896`) or strings (`"agent_id": "1"`); both mean the same agent. */
function agentIdOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && value.length <= MAX_AGENT_ID_LENGTH) return value;
  return undefined;
}
