import { contactSessionExamples, sessionMetadataExample } from '@switchboard/contracts';
import { describe, expect, it } from 'vitest';
import { commentBody, endComment, updateComments } from './record-comments';
import { minutesAndSeconds, textToHtml, valuesOfEnd, valuesOfStart, valuesOfUpdate } from './session-values';

const started = { ...contactSessionExamples.started, channel: 'voice' as const, sessionType: 'Voice Inbound' as const, sessionId: '103646', occurredAt: '2026-03-02T14:00:00.000Z', version: 1 };
const ended = { ...contactSessionExamples.ended, outcome: 'completed' as const, sessionId: '103646', occurredAt: '2026-03-02T14:12:00.000Z', version: 4, metadata: sessionMetadataExample };

describe('session values for the CRM templates (CS3.1) and comments (CS2.7)', () => {
  it('CS3.1 a start gives the end user, queue and the session ids ({Call_ID} for calls)', () => {
    expect(valuesOfStart('103646', started)).toEqual({
      SESSION_ID: '103646',
      SESSION_TYPE: 'Voice Inbound',
      CHANNEL: 'voice',
      Call_ID: '103646',
      UJET_ID: '88213',
      NAME: 'Dana Reyes',
      EMAIL: 'dana@example.com',
      PHONE_NUMBER: '+14155552671',
      SDK_IDENTIFIER: 'acct-5521',
      QUEUE_ID: '8469',
      QUEUE_NAME: 'Support / Billing',
      MENU_PATH: 'Main menu > Billing > Speak to an agent',
    });
    expect(valuesOfStart('c-1', { ...started, channel: 'chat', sessionType: 'Messaging (Web)' })).toMatchObject({ Chat_ID: 'c-1' });
  });

  it('CS3.1 CS4.2 an update gives the agent ({AGENT_*}), the queue a transfer selected and the CSAT', () => {
    const update = { ...contactSessionExamples.updated, sessionId: '103646', occurredAt: '2026-03-02T14:06:00.000Z', version: 2 };
    expect(valuesOfUpdate(update)).toEqual({ AGENT_ID: '17', AGENT_EMAIL: 'kim@example.com', QUEUE_ID: '8470', QUEUE_NAME: 'Support / Disputes', RATING: '4', FEEDBACK: 'Quick and friendly' });
  });

  it('CS3.1 CS2.5 the end gives durations as mm:ss and the subject and description (plain and HTML)', () => {
    const values = valuesOfEnd(ended, valuesOfStart('103646', started));
    expect(values).toMatchObject({ CALL_DURATION: '11:30', HOLD_TIME: '00:45', WAIT_TIME: '01:10', DEVICE_TYPE: 'pstn', DISCONNECTED_BY: 'end_user', TICKET_SUBJECT: 'Voice Inbound 103646 with Dana Reyes' });
    expect(values.TICKET_DESCRIPTION).toBe(
      'Outcome: completed\nQueue: Support / Billing\nWait time: 01:10\nDuration: 11:30\nHold time: 00:45\nCSAT: 4/5 (Quick and friendly)\nDisposition: Billing question resolved\nDisconnected by: end_user',
    );
    expect(values.TICKET_DESCRIPTION_HTML).toBe(`<p>${values.TICKET_DESCRIPTION?.split('\n').join('<br>')}</p>`);
    expect(minutesAndSeconds(3725)).toBe('62:05');
  });

  it('CS2.7 comments on the end, CSAT, transfers and disposition, each keyed so that a resend adds none; HTML escaped', () => {
    expect(endComment(ended, { CHANNEL: 'voice', CALL_DURATION: '11:30' }).text).toBe('Call 103646 ended (completed, duration 11:30) at 2026-03-02T14:12:00.000Z.');
    const update = { ...contactSessionExamples.updated, sessionId: '103646', occurredAt: '2026-03-02T14:06:00.000Z', version: 2 };
    expect(updateComments(update)).toEqual([
      { event: 'csat', key: 'csat/2026-03-02T14:06:00.000Z', text: 'CSAT rating: 4/5\nFeedback: Quick and friendly' },
      { event: 'transfer', key: 'transfer/2026-03-02T14:06:00.000Z/8470', text: 'Transferred from agent 17 to Support / Disputes at 2026-03-02T14:06:00.000Z.' },
      { event: 'disposition', key: 'disposition/2026-03-02T14:06:00.000Z', text: 'Disposition: Billing question resolved (billing-resolved)' },
    ]);
    expect(commentBody('Rating <5> & "ok"\nbye', 'html')).toBe('<p>Rating &lt;5&gt; &amp; &quot;ok&quot;<br>bye</p>');
    expect(commentBody('plain <b>', 'text')).toBe('plain <b>');
    expect(textToHtml("it's")).toBe('<p>it&#39;s</p>');
  });
});
