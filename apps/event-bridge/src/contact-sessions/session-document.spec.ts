import { contactSessionExamples, sessionInputSchemas } from '@switchboard/contracts';
import { describe, expect, it } from 'vitest';
import { applySessionEvent, emptySessionDocument, type SessionDocument, type SessionEventInput, stateOf } from './session-document';

const startedData = sessionInputSchemas.started.parse(contactSessionExamples.started);
const endedData = sessionInputSchemas.ended.parse(contactSessionExamples.ended);
const update = (data: object) => sessionInputSchemas.updated.parse(data);

/** Applies the events in the order given; fails the test on a refusal. */
function merged(...events: SessionEventInput[]): SessionDocument {
  return events.reduce((document, event) => {
    const result = applySessionEvent(document, event);
    if (!result.ok) throw new Error(result.refusal);
    return result.document;
  }, emptySessionDocument());
}

describe('merging a session\'s server-side events', () => {
  it('is pending with only updates, active once started, ended once ended, whatever the order', () => {
    const assignment: SessionEventInput = { type: 'session.updated', occurredAt: '2026-03-02T14:01:00.000Z', data: update({ agentAssignment: { agentId: 17, assignedAt: '2026-03-02T14:01:00Z' } }) };
    expect(stateOf(merged(assignment))).toBe('pending');
    expect(stateOf(merged(assignment, { type: 'session.started', occurredAt: '2026-03-02T14:00:00.000Z', data: startedData }))).toBe('active');
    expect(stateOf(merged({ type: 'session.ended', occurredAt: '2026-03-02T14:12:00.000Z', data: endedData }, { type: 'session.started', occurredAt: '2026-03-02T14:00:00.000Z', data: startedData }))).toBe('ended');
  });

  it('derives the channel from the session type when the start does not name one', () => {
    const { channel: _none, ...withoutChannel } = startedData;
    expect(merged({ type: 'session.started', occurredAt: '2026-03-02T14:00:00.000Z', data: { ...withoutChannel, sessionType: 'Messaging (WhatsApp)' } }).started?.channel).toBe('messaging');
  });

  it('refuses a second start or end, and counts events that happened before one already seen', () => {
    const document = merged({ type: 'session.started', occurredAt: '2026-03-02T14:00:00.000Z', data: startedData }, { type: 'session.ended', occurredAt: '2026-03-02T14:12:00.000Z', data: endedData });
    expect(applySessionEvent(document, { type: 'session.started', occurredAt: '2026-03-02T14:00:00.000Z', data: startedData })).toEqual({ ok: false, refusal: 'SessionAlreadyStarted' });
    expect(applySessionEvent(document, { type: 'session.ended', occurredAt: '2026-03-02T14:13:00.000Z', data: endedData })).toEqual({ ok: false, refusal: 'SessionAlreadyEnded' });
    const late = applySessionEvent(document, { type: 'session.updated', occurredAt: '2026-03-02T14:05:00.000Z', data: update({ disposition: { code: 'x' } }) });
    expect(late.ok && late.document).toMatchObject({ eventCount: 3, outOfOrderEventCount: 1, lastOccurredAt: '2026-03-02T14:12:00.000Z' });
  });

  it('keeps the CSAT and disposition that happened last, even when an older one arrives later', () => {
    const document = merged(
      { type: 'session.updated', occurredAt: '2026-03-02T14:20:00.000Z', data: update({ csat: { rating: 2 }, disposition: { code: 'escalated' } }) },
      { type: 'session.updated', occurredAt: '2026-03-02T14:10:00.000Z', data: update({ csat: { rating: 5 }, disposition: { code: 'resolved' } }) },
    );
    expect(document.csat).toMatchObject({ rating: 2 });
    expect(document.disposition).toMatchObject({ code: 'escalated' });
  });

  it('keeps transfers and agent assignments in time order and each participant once', () => {
    const document = merged(
      { type: 'session.updated', occurredAt: '2026-03-02T14:09:00.000Z', data: update({ transfers: [{ toQueueId: 2, at: '2026-03-02T14:09:00Z' }], participantsAdded: [{ type: 'agent', id: 17 }] }) },
      { type: 'session.updated', occurredAt: '2026-03-02T14:05:00.000Z', data: update({ transfers: [{ toAgentId: 34, at: '2026-03-02T14:05:00Z' }], participantsAdded: [{ type: 'agent', id: 17, name: 'Kim' }] }) },
    );
    expect(document.transfers.map((t) => t.toAgentId ?? t.toQueueId)).toEqual(['34', '2']);
    expect(document.participants).toEqual([{ type: 'agent', id: '17' }]);
  });
});
