import { channelOfSessionType, type SessionChannel, type SessionEndedFacts, type SessionStartedFacts, type SessionUpdatedFacts } from '@switchboard/contracts';

export const SessionEventKinds = ['session.started', 'session.updated', 'session.ended'] as const;
export type SessionEventKind = (typeof SessionEventKinds)[number];

/** One accepted server-side session event, as the merge sees it. */
export type SessionEventInput =
  | { type: 'session.started'; occurredAt: string; data: SessionStartedFacts }
  | { type: 'session.updated'; occurredAt: string; data: SessionUpdatedFacts }
  | { type: 'session.ended'; occurredAt: string; data: SessionEndedFacts };

/** pending: only updates so far (they may overtake the start); active: started; ended: ended, whatever came before. */
export type SessionState = 'pending' | 'active' | 'ended';

type Transfer = NonNullable<SessionUpdatedFacts['transfers']>[number];
type Participant = NonNullable<SessionUpdatedFacts['participantsAdded']>[number];
type AgentAssignment = NonNullable<SessionUpdatedFacts['agentAssignment']>;
type Latest<T> = (T & { occurredAt: string }) | null;

/**
 * What a session's server-side events have said so far, merged (stored as contact_session.document).
 * Lists keep every report in time order; single facts (CSAT, disposition) keep the one that happened last.
 */
export interface SessionDocument {
  started: (SessionStartedFacts & { channel: SessionChannel; occurredAt: string }) | null;
  transfers: Transfer[];
  participants: Participant[];
  agentAssignments: AgentAssignment[];
  csat: Latest<NonNullable<SessionUpdatedFacts['csat']>>;
  disposition: Latest<NonNullable<SessionUpdatedFacts['disposition']>>;
  ended: (SessionEndedFacts & { occurredAt: string }) | null;
  eventCount: number;
  /** The latest occurredAt seen; an event that happened before it arrived out of order. */
  lastOccurredAt: string | null;
  outOfOrderEventCount: number;
}

export function emptySessionDocument(): SessionDocument {
  return { started: null, transfers: [], participants: [], agentAssignments: [], csat: null, disposition: null, ended: null, eventCount: 0, lastOccurredAt: null, outOfOrderEventCount: 0 };
}

export function stateOf(document: SessionDocument): SessionState {
  if (document.ended) return 'ended';
  return document.started ? 'active' : 'pending';
}

/** A second, different start or end of one session: the session keeps the first (identical resends never get here). */
export type SessionEventRefusal = 'SessionAlreadyStarted' | 'SessionAlreadyEnded';

export type ApplyResult = { ok: true; document: SessionDocument } | { ok: false; refusal: SessionEventRefusal };

const byTime = <T>(timeOf: (item: T) => string) => (a: T, b: T) => Date.parse(timeOf(a)) - Date.parse(timeOf(b));

/** The document after `event`, in whatever order events arrive: an update may come before the start, CSAT after the end. */
export function applySessionEvent(document: SessionDocument, event: SessionEventInput): ApplyResult {
  const next: SessionDocument = structuredClone(document);
  const { occurredAt } = event;
  switch (event.type) {
    case 'session.started':
      if (next.started) return { ok: false, refusal: 'SessionAlreadyStarted' };
      next.started = { ...event.data, channel: event.data.channel ?? channelOfSessionType(event.data.sessionType), occurredAt };
      break;
    case 'session.ended':
      if (next.ended) return { ok: false, refusal: 'SessionAlreadyEnded' };
      next.ended = { ...event.data, occurredAt };
      break;
    case 'session.updated':
      mergeUpdate(next, event.data, occurredAt);
      break;
  }
  const outOfOrder = next.lastOccurredAt !== null && Date.parse(occurredAt) < Date.parse(next.lastOccurredAt);
  if (outOfOrder) next.outOfOrderEventCount += 1;
  else next.lastOccurredAt = occurredAt;
  next.eventCount += 1;
  return { ok: true, document: next };
}

function mergeUpdate(document: SessionDocument, update: SessionUpdatedFacts, occurredAt: string): void {
  document.transfers = [...document.transfers, ...(update.transfers ?? [])].sort(byTime((t) => t.at));
  for (const participant of update.participantsAdded ?? []) {
    if (!document.participants.some((known) => known.type === participant.type && known.id === participant.id)) document.participants.push(participant);
  }
  if (update.agentAssignment) document.agentAssignments = [...document.agentAssignments, update.agentAssignment].sort(byTime((a) => a.assignedAt));
  if (update.csat && isLatest(document.csat, occurredAt)) document.csat = { ...update.csat, occurredAt };
  if (update.disposition && isLatest(document.disposition, occurredAt)) document.disposition = { ...update.disposition, occurredAt };
}

/** A late report of an older CSAT or disposition does not overwrite a newer one. */
function isLatest(current: { occurredAt: string } | null, occurredAt: string): boolean {
  return current === null || Date.parse(occurredAt) >= Date.parse(current.occurredAt);
}
