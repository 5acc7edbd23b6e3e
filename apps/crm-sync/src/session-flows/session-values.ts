import type { SessionEnded, SessionStarted, SessionUpdated } from '@switchboard/contracts';
import type { SessionValues } from '../crm-engine/crm-variables';

/** The CS3.1 variables a session start tells (the end user, the queue, the session's own ids). */
export function valuesOfStart(sessionId: string, started: SessionStarted): SessionValues {
  const user = started.endUser;
  return defined({
    SESSION_ID: sessionId,
    SESSION_TYPE: started.sessionType,
    CHANNEL: started.channel,
    [started.channel === 'voice' ? 'Call_ID' : 'Chat_ID']: sessionId,
    UJET_ID: user?.id,
    NAME: user?.name,
    EMAIL: user?.email,
    PHONE_NUMBER: user?.phoneNumber,
    SDK_IDENTIFIER: user?.sdkIdentifier,
    QUEUE_ID: started.queue?.id,
    QUEUE_NAME: started.queue?.path,
    MENU_PATH: started.menuPath,
    OUTBOUND_PHONE_NUMBER: started.sessionType.includes('Outbound') ? started.supportNumber : undefined,
  });
}

/** What an update adds: the assigned agent (the latest transfer's target agent), the queue selected, CSAT. */
export function valuesOfUpdate(updated: SessionUpdated): SessionValues {
  const lastTransfer = updated.transfers?.at(-1);
  return defined({
    AGENT_ID: updated.agentAssignment?.agentId ?? lastTransfer?.toAgentId,
    AGENT_EMAIL: updated.agentAssignment?.agentEmail,
    AGENT_CUSTOM_ID: updated.agentAssignment?.agentCustomId,
    QUEUE_ID: lastTransfer?.toQueueId,
    QUEUE_NAME: lastTransfer?.toQueuePath,
    RATING: updated.csat ? String(updated.csat.rating) : undefined,
    FEEDBACK: updated.csat?.feedback,
  });
}

/** What the end tells: durations (mm:ss), how it ended, and the record's subject and description (CS2.5). */
export function valuesOfEnd(ended: SessionEnded, known: SessionValues): SessionValues {
  const durations = ended.metadata.durations;
  const values = defined({
    CALL_DURATION: minutesAndSeconds(durations.handleSeconds ?? durations.talkSeconds),
    HOLD_TIME: minutesAndSeconds(durations.holdSeconds),
    WAIT_TIME: minutesAndSeconds(durations.waitSeconds),
    DEVICE_TYPE: ended.metadata.diagnostics.deviceType ?? undefined,
    DISCONNECTED_BY: ended.metadata.diagnostics.disconnectedBy ?? undefined,
    RATING: ended.metadata.csat ? String(ended.metadata.csat.rating) : undefined,
    FEEDBACK: ended.metadata.csat?.feedback ?? undefined,
  });
  const all = { ...known, ...values };
  const lines = descriptionLines(ended, all);
  return { ...values, TICKET_SUBJECT: subjectOf(all), TICKET_DESCRIPTION: lines.join('\n'), TICKET_DESCRIPTION_HTML: textToHtml(lines.join('\n')) };
}

/** The record's subject when it is created, before the session has ended. */
export function subjectOf(values: SessionValues): string {
  const who = values.NAME ?? values.PHONE_NUMBER ?? values.EMAIL ?? 'unknown customer';
  return `${values.SESSION_TYPE ?? 'Session'} ${values.SESSION_ID ?? ''} with ${who}`.replace(/\s+/g, ' ').trim();
}

function descriptionLines(ended: SessionEnded, values: SessionValues): string[] {
  const disposition = ended.metadata.disposition;
  return [
    `Outcome: ${ended.outcome}`,
    values.QUEUE_NAME && `Queue: ${values.QUEUE_NAME}`,
    values.AGENT_EMAIL ? `Agent: ${values.AGENT_EMAIL}` : values.AGENT_ID && `Agent: ${values.AGENT_ID}`,
    values.WAIT_TIME && `Wait time: ${values.WAIT_TIME}`,
    values.CALL_DURATION && `Duration: ${values.CALL_DURATION}`,
    values.HOLD_TIME && `Hold time: ${values.HOLD_TIME}`,
    values.RATING && `CSAT: ${values.RATING}/5${values.FEEDBACK ? ` (${values.FEEDBACK})` : ''}`,
    disposition && `Disposition: ${disposition.label ?? disposition.code}${disposition.notes ? ` (${disposition.notes})` : ''}`,
    values.DISCONNECTED_BY && `Disconnected by: ${values.DISCONNECTED_BY}`,
  ].filter((line): line is string => typeof line === 'string' && line.length > 0);
}

/** CS3.1 `{WAIT_TIME}` and the other durations as mm:ss (minutes may pass 59). */
export function minutesAndSeconds(seconds: number | null | undefined): string | undefined {
  if (seconds === null || seconds === undefined) return undefined;
  const whole = Math.round(seconds);
  return `${String(Math.floor(whole / 60)).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
}

/** CS2.7 "convert text to HTML": escaped, one paragraph, line breaks kept. */
export function textToHtml(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  return `<p>${escaped.split('\n').join('<br>')}</p>`;
}

function defined(values: Record<string, string | undefined>): SessionValues {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined && value !== '')) as SessionValues;
}
