import { contactSessionExamples, sessionInputSchemas, sessionMetadataSchema } from '@switchboard/contracts';
import { describe, expect, it } from 'vitest';
import type { SessionAdapterEvent } from './adapter-activity';
import { applySessionEvent, emptySessionDocument, type SessionDocument } from './session-document';
import { buildSessionMetadata } from './session-metadata';

const GENERATED_AT = new Date('2026-03-02T14:12:01.000Z');

function documentOf(...events: Parameters<typeof applySessionEvent>[1][]): SessionDocument {
  return events.reduce((document, event) => {
    const result = applySessionEvent(document, event);
    if (!result.ok) throw new Error(result.refusal);
    return result.document;
  }, emptySessionDocument());
}

const adapterEvent = (adapterEventType: string, payload: Record<string, unknown>, receivedAt: string): SessionAdapterEvent => ({ adapterEventType, payload, receivedAt: new Date(receivedAt) });

describe('SE3.2 the session metadata document built from a merged session', () => {
  const started = { type: 'session.started', occurredAt: '2026-03-02T14:00:00.000Z', data: sessionInputSchemas.started.parse(contactSessionExamples.started) } as const;
  const ended = { type: 'session.ended', occurredAt: '2026-03-02T14:12:00.000Z', data: sessionInputSchemas.ended.parse(contactSessionExamples.ended) } as const;

  it('SE3.2 is a valid version-1 document for a session known only by its first update', () => {
    const document = documentOf({ type: 'session.updated', occurredAt: '2026-03-02T14:01:00.000Z', data: sessionInputSchemas.updated.parse({ csat: { rating: 3 } }) });
    const metadata = buildSessionMetadata({ sessionId: 's-1', version: 1, document, adapterEvents: [], generatedAt: GENERATED_AT });
    expect(sessionMetadataSchema.parse(metadata)).toMatchObject({ schemaVersion: 1, session: { id: 's-1', type: null, endedAt: null }, csat: { rating: 3, feedback: null }, files: { recordings: [] } });
  });

  it("SE3.2 adds the adapter's agents, transfers, session type and campaign; the platform's own reports win", () => {
    const document = documentOf(
      started,
      { type: 'session.updated', occurredAt: '2026-03-02T14:06:00.000Z', data: sessionInputSchemas.updated.parse({ agentAssignment: { agentId: 21, assignedAt: '2026-03-02T14:01:00Z' }, transfers: [{ fromAgentId: 21, toAgentId: 34, at: '2026-03-02T14:06:00Z' }] }) },
      ended,
    );
    const adapterEvents = [
      adapterEvent('New_Call', { call_id: 103646, agent_id: 21, agent_email: 'ana@example.com', agent_custom_id: '007', session_type: 'voice campaign (UJET)', campaign_id: 1432, campaign_name: 'Survey Movie' }, '2026-03-02T14:01:02Z'),
      // The adapter's report of the transfer the platform reported too: kept once.
      adapterEvent('Transfer_Call', { call_id: 103646, from_agent_id: 21, to_agent_id: 34 }, '2026-03-02T14:06:03Z'),
      adapterEvent('Transfer_Call', { call_id: 103646, from_agent_id: 34, to_queue_id: 9 }, '2026-03-02T14:09:00Z'),
      adapterEvent('Party_Added', { call_id: 103646, type: 'end_user', end_user_id: 'eu-5' }, '2026-03-02T14:07:00Z'),
      adapterEvent('Some_Future_Event', { call_id: 103646, agent_id: { unexpected: true } }, '2026-03-02T14:08:00Z'),
    ];
    const metadata = sessionMetadataSchema.parse(buildSessionMetadata({ sessionId: '103646', version: 3, document, adapterEvents, generatedAt: GENERATED_AT }));
    expect(metadata.session).toMatchObject({ type: 'Voice Inbound', campaign: { id: '1432', name: 'Survey Movie' } });
    expect(metadata.participants).toEqual([
      { type: 'agent', id: '21', name: null, email: 'ana@example.com', customId: '007', joinedAt: '2026-03-02T14:01:00.000Z', source: 'session' },
      expect.objectContaining({ type: 'agent', id: '34', source: 'adapter' }),
      expect.objectContaining({ type: 'end_user', id: 'eu-5', source: 'adapter' }),
    ]);
    expect(metadata.transfers.map((t) => [t.toAgentId ?? t.toQueueId, t.source])).toEqual([
      ['34', 'session'],
      ['9', 'adapter'],
    ]);
    expect(metadata.diagnostics).toMatchObject({ adapterEventCount: 5, sessionEventCount: 3 });
  });

  it('SE3.2 derives wait and handle time from the times when the platform gives no durations', () => {
    const { durations: _none, ...withoutDurations } = contactSessionExamples.ended;
    const document = documentOf(started, { ...ended, data: sessionInputSchemas.ended.parse(withoutDurations) });
    const metadata = buildSessionMetadata({ sessionId: '103646', version: 2, document, adapterEvents: [], generatedAt: GENERATED_AT });
    expect(metadata.durations).toEqual({ waitSeconds: 70, handleSeconds: 630, holdSeconds: null, talkSeconds: null, wrapUpSeconds: null });
  });
});
