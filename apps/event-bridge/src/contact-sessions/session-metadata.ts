import type { SessionMetadata } from '@switchboard/contracts';
import { adapterActivity, addParticipant, type SessionAdapterEvent } from './adapter-activity';
import type { SessionDocument } from './session-document';

type MetadataTransfer = SessionMetadata['transfers'][number];

/** Two reports of one transfer (the platform's and the adapter's) are at most this far apart. */
const SAME_TRANSFER_WITHIN_MS = 60_000;

export interface MetadataInput {
  sessionId: string;
  version: number;
  document: SessionDocument;
  adapterEvents: SessionAdapterEvent[];
  generatedAt: Date;
}

/**
 * The session metadata document, version 1 (SE3.2): the session's server-side events merged with its
 * agent-adapter events. The platform's own reports win; the adapter's fill what they leave open.
 */
export function buildSessionMetadata({ sessionId, version, document, adapterEvents, generatedAt }: MetadataInput): SessionMetadata {
  const { started, ended } = document;
  const adapter = adapterActivity(adapterEvents);
  const times = ended?.times;
  return {
    schemaVersion: 1,
    session: {
      id: sessionId,
      type: started?.sessionType ?? adapter.sessionType,
      channel: started?.channel ?? null,
      outcome: ended?.outcome ?? null,
      startedAt: started?.startedAt ?? null,
      queuedAt: times?.queuedAt ?? null,
      answeredAt: times?.answeredAt ?? null,
      endedAt: times?.endedAt ?? null,
      queue: { id: started?.queue?.id ?? adapter.queue.id, path: started?.queue?.path ?? adapter.queue.path },
      menuPath: started?.menuPath ?? null,
      supportNumber: started?.supportNumber ?? null,
      campaign: adapter.campaign,
    },
    endUser: {
      id: started?.endUser?.id ?? null,
      phoneNumber: started?.endUser?.phoneNumber ?? null,
      email: started?.endUser?.email ?? null,
      name: started?.endUser?.name ?? null,
      sdkIdentifier: started?.endUser?.sdkIdentifier ?? null,
    },
    participants: participantsOf(document, adapter.participants),
    transfers: transfersOf(document, adapter.transfers),
    durations: durationsOf(document),
    csat: document.csat ? { rating: document.csat.rating, feedback: document.csat.feedback ?? null } : null,
    disposition: document.disposition ? { code: document.disposition.code, label: document.disposition.label ?? null, notes: document.disposition.notes ?? null } : null,
    files: {
      recordings: (ended?.recordings ?? []).map(fileOf),
      transcripts: (ended?.transcripts ?? []).map(fileOf),
      media: (ended?.media ?? []).map((item) => ({ ...fileOf(item), kind: item.kind })),
    },
    diagnostics: {
      disconnectedBy: ended?.diagnostics?.disconnectedBy ?? null,
      deviceType: ended?.diagnostics?.deviceType ?? null,
      failureReason: ended?.diagnostics?.failureReason ?? null,
      errorCodes: ended?.diagnostics?.errorCodes ?? [],
      sessionEventCount: document.eventCount,
      adapterEventCount: adapterEvents.length,
      outOfOrderEventCount: document.outOfOrderEventCount,
    },
    version,
    generatedAt: generatedAt.toISOString(),
  };
}

function participantsOf(document: SessionDocument, fromAdapter: SessionMetadata['participants']): SessionMetadata['participants'] {
  const participants: SessionMetadata['participants'] = [];
  for (const assignment of document.agentAssignments) {
    addParticipant(participants, { type: 'agent', id: assignment.agentId, name: null, email: assignment.agentEmail ?? null, customId: assignment.agentCustomId ?? null, joinedAt: assignment.assignedAt, source: 'session' });
  }
  for (const added of document.participants) {
    addParticipant(participants, { type: added.type, id: added.id, name: added.name ?? null, email: added.email ?? null, customId: null, joinedAt: added.joinedAt ?? null, source: 'session' });
  }
  for (const participant of fromAdapter) addParticipant(participants, participant);
  return participants;
}

function transfersOf(document: SessionDocument, fromAdapter: MetadataTransfer[]): MetadataTransfer[] {
  const transfers: MetadataTransfer[] = document.transfers.map((transfer) => ({
    fromAgentId: transfer.fromAgentId ?? null,
    toAgentId: transfer.toAgentId ?? null,
    fromQueueId: transfer.fromQueueId ?? null,
    toQueueId: transfer.toQueueId ?? null,
    fromQueuePath: transfer.fromQueuePath ?? null,
    toQueuePath: transfer.toQueuePath ?? null,
    at: transfer.at,
    source: 'session',
  }));
  for (const reported of fromAdapter) if (!transfers.some((known) => sameTransfer(known, reported))) transfers.push(reported);
  return transfers.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

function sameTransfer(a: MetadataTransfer, b: MetadataTransfer): boolean {
  const sameEnds = a.toAgentId === b.toAgentId && a.toQueueId === b.toQueueId && (a.fromAgentId ?? b.fromAgentId) === (b.fromAgentId ?? a.fromAgentId);
  return sameEnds && Math.abs(Date.parse(a.at) - Date.parse(b.at)) <= SAME_TRANSFER_WITHIN_MS;
}

/** The platform's durations; wait and handle time from the session's times where it gave none. */
function durationsOf(document: SessionDocument): SessionMetadata['durations'] {
  const given = document.ended?.durations ?? {};
  const times = document.ended?.times;
  const secondsBetween = (from?: string, to?: string) => (from && to ? (Date.parse(to) - Date.parse(from)) / 1000 : null);
  return {
    waitSeconds: given.waitSeconds ?? secondsBetween(times?.queuedAt, times?.answeredAt),
    handleSeconds: given.handleSeconds ?? secondsBetween(times?.answeredAt, times?.endedAt),
    holdSeconds: given.holdSeconds ?? null,
    talkSeconds: given.talkSeconds ?? null,
    wrapUpSeconds: given.wrapUpSeconds ?? null,
  };
}

function fileOf(file: { id: string; url: string; contentType?: string }) {
  return { id: file.id, url: file.url, contentType: file.contentType ?? null };
}
