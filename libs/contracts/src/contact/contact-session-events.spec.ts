import { describe, expect, it } from 'vitest';
import { createCloudEvent } from '../events/cloud-event';
import { eventCatalog } from '../catalog';
import { Topics } from '../topics';
import { ContactSessionEventTypes, sessionEndedSchema, sessionStartedSchema, sessionUpdatedSchema } from './contact-session-events';
import { contactSessionExamples, sessionMetadataExample } from './contact-session.examples';
import { sessionInputSchemas } from './session-facts';
import { sessionMetadataSchema } from './session-metadata';

const position = { sessionId: '103646', occurredAt: '2026-03-02T14:00:00Z', version: 1 };
const { started, updated, ended } = contactSessionExamples;

/** The issues of a refused parse as "path: message" lines. */
function refusal(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }): string[] {
  expect(result.success).toBe(false);
  return (result.error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('contact.session.v1 contracts: SessionStarted', () => {
  it('accepts the example and carries instants in UTC', () => {
    const parsed = sessionStartedSchema.parse({ ...position, ...started, startedAt: '2026-03-02T15:00:00+01:00' });
    expect(parsed).toMatchObject({ sessionType: 'Voice Inbound', channel: 'voice', startedAt: '2026-03-02T14:00:00.000Z', occurredAt: '2026-03-02T14:00:00.000Z' });
  });

  it('EB1.4 reads the session type case-insensitively', () => {
    expect(sessionInputSchemas.started.parse({ ...started, sessionType: 'VOICE inbound' }).sessionType).toBe('Voice Inbound');
  });

  it('carries numeric ids as strings (the source sends "call_id": 103646)', () => {
    expect(sessionInputSchemas.started.parse({ ...started, queue: { id: 8469 } }).queue).toEqual({ id: '8469' });
  });

  it.each([
    [{ endUser: { phoneNumber: '+1 415 555 2671' } }, 'endUser.phoneNumber: must be an E.164 phone number such as +14155552671 (a plus, the country code, the number, nothing else)'],
    [{ endUser: { phoneNumber: '+123456798' } }, "endUser.phoneNumber: is not a valid number in its country's numbering plan"],
    [{ supportNumber: '0800 123' }, 'supportNumber: must be an E.164 phone number such as +14155552671 (a plus, the country code, the number, nothing else)'],
    [{ endUser: { email: 'dana@' } }, 'endUser.email: Invalid email address'],
    [{ channel: 'fax' }, 'channel: Invalid option: expected one of "voice"|"chat"|"messaging"|"screen_share"|"video"|"email"'],
    [{ startedAt: 'yesterday' }, 'startedAt: Invalid ISO datetime'],
    [{ queue: { path: 'Support' } }, 'queue.id: Invalid input'],
  ])('refuses %j naming the field', (change, issue) => {
    expect(refusal(sessionInputSchemas.started.safeParse({ ...started, ...change }))).toContain(issue);
  });

  it('a sender may not add fields the contract does not know; a reader tolerates them', () => {
    expect(refusal(sessionInputSchemas.started.safeParse({ ...started, endUser: { nickname: 'D' } }))).toEqual(['endUser: Unrecognized key: "nickname"']);
    expect(sessionStartedSchema.safeParse({ ...position, ...started, addedInALaterMinor: true }).success).toBe(true);
  });

  it('the published event must name its channel', () => {
    const { channel: _none, ...withoutChannel } = started;
    expect(sessionInputSchemas.started.safeParse(withoutChannel).success).toBe(true);
    expect(refusal(sessionStartedSchema.safeParse({ ...position, ...withoutChannel }))).toEqual([expect.stringMatching(/^channel: /)]);
  });
});

describe('contact.session.v1 contracts: SessionUpdated', () => {
  it('accepts the example and each kind of update alone', () => {
    expect(sessionUpdatedSchema.parse({ ...position, ...updated }).transfers).toHaveLength(1);
    for (const [kind, value] of Object.entries(updated)) expect(sessionInputSchemas.updated.safeParse({ [kind]: value }).success).toBe(true);
    expect(sessionInputSchemas.updated.parse({ participantsAdded: [{ type: 'agent', id: 21 }] }).participantsAdded).toEqual([{ type: 'agent', id: '21' }]);
  });

  it.each([
    [{}, ': must carry at least one of transfers, participantsAdded, csat, disposition, agentAssignment'],
    [{ csat: { rating: 6 } }, 'csat.rating: Too big: expected number to be <=5'],
    [{ csat: { rating: 4.5 } }, 'csat.rating: Invalid input: expected int, received number'],
    [{ transfers: [{ fromAgentId: '17', at: '2026-03-02T14:06:00Z' }] }, 'transfers.0.toAgentId: must name toAgentId or toQueueId'],
    [{ participantsAdded: [{ type: 'robot', id: '1' }] }, 'participantsAdded.0.type: Invalid option: expected one of "end_user"|"agent"|"virtual_agent"|"supervisor"'],
    [{ agentAssignment: { agentId: 'agent 17', assignedAt: '2026-03-02T14:06:00Z' } }, 'agentAssignment.agentId: must be visible ASCII characters without spaces'],
    [{ disposition: { code: '' } }, 'disposition.code: Too small: expected string to have >=1 characters'],
  ])('refuses %j naming the field', (data, issue) => {
    expect(refusal(sessionInputSchemas.updated.safeParse(data))).toContain(issue);
  });
});

describe('contact.session.v1 contracts: SessionEnded', () => {
  it('SE3.2 accepts the example with its versioned metadata document', () => {
    const parsed = sessionEndedSchema.parse({ ...position, ...ended, metadata: sessionMetadataExample });
    expect(parsed.metadata.schemaVersion).toBe(1);
    expect(parsed.recordings?.[0]?.url).toBe('https://media.example.com/recordings/call-103646.mp3');
  });

  it.each([
    [{ outcome: 'hung_up' }, 'outcome: Invalid option: expected one of "completed"|"failed"|"abandoned"'],
    [{ times: { answeredAt: '2026-03-02T14:01:30Z' } }, 'times.endedAt: Invalid input: expected string, received undefined'],
    [{ times: { queuedAt: '2026-03-02T14:05:00Z', answeredAt: '2026-03-02T14:01:30Z', endedAt: '2026-03-02T14:12:00Z' } }, 'times.answeredAt: must not be before queuedAt'],
    [{ durations: { holdSeconds: -1 } }, 'durations.holdSeconds: Too small: expected number to be >=0'],
    [{ recordings: [{ id: 'r', url: 'ftp://media.example.com/r.mp3' }] }, 'recordings.0.url: must be an http(s) URL'],
    [{ media: [{ id: 'm', url: 'https://media.example.com/m.jpg' }] }, 'media.0.kind: Invalid option: expected one of "photo"|"video"|"other"'],
    [{ diagnostics: { disconnectedBy: 'nobody' } }, 'diagnostics.disconnectedBy: Invalid option: expected one of "end_user"|"agent"|"system"'],
  ])('refuses %j naming the field', (change, issue) => {
    expect(refusal(sessionInputSchemas.ended.safeParse({ ...ended, ...change }))).toContain(issue);
  });

  it('SE3.2 refuses a published SessionEnded without metadata, or with another schemaVersion', () => {
    expect(refusal(sessionEndedSchema.safeParse({ ...position, ...ended }))).toEqual(['metadata: Invalid input: expected object, received undefined']);
    const versionTwo = { ...sessionMetadataExample, schemaVersion: 2 };
    expect(refusal(sessionEndedSchema.safeParse({ ...position, ...ended, metadata: versionTwo }))).toEqual(['metadata.schemaVersion: Invalid input: expected 1']);
  });
});

describe('SE3.2 the session metadata document, version 1', () => {
  it('SE3.2 holds 20+ data points, every one present (null when unknown)', () => {
    const leaves = (value: unknown): number =>
      value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.values(value).reduce<number>((sum, v) => sum + leaves(v), 0) : 1;
    expect(leaves(sessionMetadataExample)).toBeGreaterThanOrEqual(20);
    const { csat: _dropped, ...withoutCsat } = sessionMetadataExample;
    expect(refusal(sessionMetadataSchema.safeParse(withoutCsat))).toEqual(['csat: Invalid input: expected object, received undefined']);
  });
});

describe('P3.2 contact.session.v1 in the catalog', () => {
  it('carries the three event types on contact.session.v1', () => {
    expect(Topics.contactSession).toBe('contact.session.v1');
    expect(eventCatalog.typesOn(Topics.contactSession)).toEqual(Object.values(ContactSessionEventTypes));
    const event = createCloudEvent({
      type: ContactSessionEventTypes.updated,
      source: '/switchboard/event-bridge',
      subject: '103646',
      tenantId: '3f0e7b3c-1a2b-4c5d-8e9f-0a1b2c3d4e5f',
      data: { ...position, csat: { rating: 5 } },
    });
    expect(eventCatalog.parse(Topics.contactSession, JSON.parse(JSON.stringify(event))).data).toMatchObject({ csat: { rating: 5 } });
    expect(() => eventCatalog.parse(Topics.contactSession, { ...event, data: { ...position } })).toThrow(/must carry at least one of/);
  });
});
