import type { SessionEnded, SessionUpdated } from '@switchboard/contracts';
import type { SessionValues } from '../crm-engine/crm-variables';
import { textToHtml } from './session-values';

/**
 * The CS2.7 events a record is commented on that the session events carry. (Custom data packages and
 * survey answers have no session event yet; they join this list when contact.session.v1 carries them.)
 */
export const COMMENT_EVENTS = ['session_start', 'session_end', 'csat', 'transfer', 'disposition'] as const;
export type CommentEvent = (typeof COMMENT_EVENTS)[number];

export const COMMENT_FORMATS = ['text', 'html'] as const;
export type CommentFormat = (typeof COMMENT_FORMATS)[number];

/** One comment to post: its event, a key unique within the session (its job's key), and its text. */
export interface RecordComment {
  event: CommentEvent;
  key: string;
  text: string;
}

const channelWord = (values: SessionValues) => (values.CHANNEL === 'voice' ? 'Call' : 'Chat');

export function startComment(values: SessionValues, startedAt: string | undefined): RecordComment {
  return { event: 'session_start', key: 'session_start', text: `${channelWord(values)} ${values.SESSION_ID ?? ''} started${startedAt ? ` at ${startedAt}` : ''}.`.replace(/ {2,}/g, ' ') };
}

export function endComment(ended: SessionEnded, values: SessionValues): RecordComment {
  const duration = values.CALL_DURATION ? `, duration ${values.CALL_DURATION}` : '';
  return { event: 'session_end', key: 'session_end', text: `${channelWord(values)} ${ended.sessionId} ended (${ended.outcome}${duration}) at ${ended.times.endedAt}.` };
}

/** The comments an update calls for, each keyed by what it is about so that a resent update adds none. */
export function updateComments(updated: SessionUpdated): RecordComment[] {
  const comments: RecordComment[] = [];
  if (updated.csat) {
    const feedback = updated.csat.feedback ? `\nFeedback: ${updated.csat.feedback}` : '';
    comments.push({ event: 'csat', key: `csat/${updated.occurredAt}`, text: `CSAT rating: ${updated.csat.rating}/5${feedback}` });
  }
  for (const transfer of updated.transfers ?? []) {
    const from = transfer.fromAgentId ? `agent ${transfer.fromAgentId}` : transfer.fromQueuePath ?? transfer.fromQueueId ?? 'the queue';
    const to = transfer.toAgentId ? `agent ${transfer.toAgentId}` : transfer.toQueuePath ?? transfer.toQueueId ?? 'another queue';
    comments.push({ event: 'transfer', key: `transfer/${transfer.at}/${transfer.toAgentId ?? transfer.toQueueId ?? ''}`, text: `Transferred from ${from} to ${to} at ${transfer.at}.` });
  }
  if (updated.disposition) {
    const { code, label, notes } = updated.disposition;
    comments.push({ event: 'disposition', key: `disposition/${updated.occurredAt}`, text: `Disposition: ${label ? `${label} (${code})` : code}${notes ? `\nNotes: ${notes}` : ''}` });
  }
  return comments;
}

/** The comment's body as the tenant wants it (CS2.7 "convert text to HTML"). */
export function commentBody(text: string, format: CommentFormat): string {
  return format === 'html' ? textToHtml(text) : text;
}
