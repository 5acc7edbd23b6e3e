import { canonicalSessionType, type SessionMetadata, type SessionType } from '@switchboard/contracts';

/** An agent-adapter event of the session, as stored by the adapter-event intake. */
export interface SessionAdapterEvent {
  adapterEventType: string;
  payload: Record<string, unknown>;
  receivedAt: Date;
}

type MetadataParticipant = SessionMetadata['participants'][number];
type MetadataTransfer = SessionMetadata['transfers'][number];

/** What the agent adapter's events tell about a session (EB1.3 fields), to merge into its metadata. */
export interface AdapterActivity {
  participants: MetadataParticipant[];
  transfers: MetadataTransfer[];
  sessionType: SessionType | null;
  queue: { id: string | null; path: string | null };
  campaign: { id: string | null; name: string | null };
}

/**
 * Reads the adapter's payloads tolerantly: they are kept as the adapters sent them (ids as numbers or
 * strings, fields missing), and new adapter versions add fields. What is not understood is skipped.
 */
export function adapterActivity(events: SessionAdapterEvent[]): AdapterActivity {
  const activity: AdapterActivity = { participants: [], transfers: [], sessionType: null, queue: { id: null, path: null }, campaign: { id: null, name: null } };
  for (const { adapterEventType, payload, receivedAt } of events) {
    const field = (key: string) => textOf(payload[key]);
    const at = receivedAt.toISOString();
    activity.sessionType ??= canonicalSessionType(field('session_type') ?? '') ?? null;
    activity.queue.id ??= field('queue_id');
    activity.queue.path ??= field('queue_path');
    activity.campaign.id ??= field('campaign_id');
    activity.campaign.name ??= field('campaign_name');

    const agent = (prefix: string) => ({ id: field(`${prefix}agent_id`), email: field(`${prefix}agent_email`), customId: field(`${prefix}agent_custom_id`) });
    for (const { id, email, customId } of [agent(''), agent('from_'), agent('to_')]) {
      if (id) addParticipant(activity.participants, { type: 'agent', id, name: null, email, customId, joinedAt: at, source: 'adapter' });
    }
    const virtualAgentId = field('virtual_agent_id');
    if (virtualAgentId) addParticipant(activity.participants, { type: 'virtual_agent', id: virtualAgentId, name: null, email: null, customId: null, joinedAt: at, source: 'adapter' });
    const endUserId = field('end_user_id');
    if (endUserId) addParticipant(activity.participants, { type: 'end_user', id: endUserId, name: null, email: null, customId: null, joinedAt: at, source: 'adapter' });

    if (/^Transfer_/i.test(adapterEventType)) {
      activity.transfers.push({
        fromAgentId: field('from_agent_id'),
        toAgentId: field('to_agent_id'),
        fromQueueId: field('from_queue_id'),
        toQueueId: field('to_queue_id'),
        fromQueuePath: field('from_queue_path'),
        toQueuePath: field('to_queue_path'),
        at,
        source: 'adapter',
      });
    }
  }
  return activity;
}

/** Adds a participant unless one of the same type and id is known; fills the known one's missing details. */
export function addParticipant(participants: MetadataParticipant[], participant: MetadataParticipant): void {
  const known = participants.find((p) => p.type === participant.type && p.id === participant.id);
  if (!known) {
    participants.push(participant);
    return;
  }
  known.name ??= participant.name;
  known.email ??= participant.email;
  known.customId ??= participant.customId;
  known.joinedAt ??= participant.joinedAt;
}

function textOf(value: unknown): string | null {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}
