import type { SessionEndedFacts, SessionStartedFacts, SessionUpdatedFacts } from './session-facts';
import type { SessionMetadata } from './session-metadata';

/**
 * One voice session as the platform reports it, and its metadata document: the examples of the API page and
 * the README, and a starting point for the tests of the services that consume `contact.session.v1`.
 */
export const contactSessionExamples = {
  started: {
    sessionType: 'Voice Inbound',
    channel: 'voice',
    endUser: { id: '88213', phoneNumber: '+14155552671', email: 'dana@example.com', name: 'Dana Reyes', sdkIdentifier: 'acct-5521' },
    queue: { id: '8469', path: 'Support / Billing' },
    menuPath: 'Main menu > Billing > Speak to an agent',
    supportNumber: '+18005550199',
    startedAt: '2026-03-02T14:00:00.000Z',
  },
  updated: {
    agentAssignment: { agentId: '17', agentEmail: 'kim@example.com', assignedAt: '2026-03-02T14:01:30.000Z' },
    transfers: [{ fromAgentId: '17', toQueueId: '8470', toQueuePath: 'Support / Disputes', at: '2026-03-02T14:06:00.000Z' }],
    csat: { rating: 4, feedback: 'Quick and friendly' },
    disposition: { code: 'billing-resolved', label: 'Billing question resolved' },
  },
  ended: {
    outcome: 'completed',
    times: { queuedAt: '2026-03-02T14:00:20.000Z', answeredAt: '2026-03-02T14:01:30.000Z', endedAt: '2026-03-02T14:12:00.000Z' },
    durations: { waitSeconds: 70, handleSeconds: 690, holdSeconds: 45, talkSeconds: 600, wrapUpSeconds: 45 },
    recordings: [{ id: 'rec-1', url: 'https://media.example.com/recordings/call-103646.mp3', contentType: 'audio/mpeg' }],
    diagnostics: { disconnectedBy: 'end_user', deviceType: 'pstn' },
  },
} satisfies { started: SessionStartedFacts; updated: SessionUpdatedFacts; ended: SessionEndedFacts };

export const sessionMetadataExample: SessionMetadata = {
  schemaVersion: 1,
  session: {
    id: '103646',
    type: 'Voice Inbound',
    channel: 'voice',
    outcome: 'completed',
    startedAt: '2026-03-02T14:00:00.000Z',
    queuedAt: '2026-03-02T14:00:20.000Z',
    answeredAt: '2026-03-02T14:01:30.000Z',
    endedAt: '2026-03-02T14:12:00.000Z',
    queue: { id: '8469', path: 'Support / Billing' },
    menuPath: 'Main menu > Billing > Speak to an agent',
    supportNumber: '+18005550199',
    campaign: { id: null, name: null },
  },
  endUser: { id: '88213', phoneNumber: '+14155552671', email: 'dana@example.com', name: 'Dana Reyes', sdkIdentifier: 'acct-5521' },
  participants: [
    { type: 'agent', id: '17', name: null, email: 'kim@example.com', customId: '007', joinedAt: '2026-03-02T14:01:30.000Z', source: 'session' },
  ],
  transfers: [
    { fromAgentId: '17', toAgentId: null, fromQueueId: null, toQueueId: '8470', fromQueuePath: null, toQueuePath: 'Support / Disputes', at: '2026-03-02T14:06:00.000Z', source: 'session' },
  ],
  durations: { waitSeconds: 70, handleSeconds: 690, holdSeconds: 45, talkSeconds: 600, wrapUpSeconds: 45 },
  csat: { rating: 4, feedback: 'Quick and friendly' },
  disposition: { code: 'billing-resolved', label: 'Billing question resolved', notes: null },
  files: { recordings: [{ id: 'rec-1', url: 'https://media.example.com/recordings/call-103646.mp3', contentType: 'audio/mpeg' }], transcripts: [], media: [] },
  diagnostics: { disconnectedBy: 'end_user', deviceType: 'pstn', failureReason: null, errorCodes: [], sessionEventCount: 3, adapterEventCount: 2, outOfOrderEventCount: 0 },
  version: 3,
  generatedAt: '2026-03-02T14:12:00.120Z',
};
