import { describe, expect, it } from 'vitest';
import { eventCatalog } from '../catalog';
import { createCloudEvent } from '../events/cloud-event';
import { Topics } from '../topics';
import { AdapterEventParse, parseAdapterEvent } from './adapter-event';
import { KnownAdapterEventTypes } from './adapter-event-payloads';
import { agentEventType } from './agent-events';
import { canonicalSessionType, SessionTypes } from './session-types';

const issuesOf = (result: AdapterEventParse) => (result.success ? [] : result.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
const pathsOf = (result: AdapterEventParse) => [...new Set(issuesOf(result).map((issue) => issue.path))];

describe('adapter event session types (EB1.4)', () => {
  it.each(SessionTypes.map((type) => [type]))('EB1.4 "%s" is read in any case and spacing', (type) => {
    expect(canonicalSessionType(type)).toBe(type);
    expect(canonicalSessionType(type.toUpperCase())).toBe(type);
    expect(canonicalSessionType(`  ${type.toLowerCase().replace(/ /g, '   ')} `)).toBe(type);
  });

  it("EB1.4 maps the source samples' own spellings to the listed types", () => {
    expect(canonicalSessionType('Voice Campaign (UJET)')).toBe('Voice Campaign');
    expect(canonicalSessionType('messaging inbound (web chat)')).toBe('Messaging (Web)');
    expect(canonicalSessionType('Messaging Inbound ( SMS )')).toBe('Messaging Inbound (SMS)');
  });

  it('EB1.4 an unknown session type is not refused: the event keeps it in its data, without a canonical type', () => {
    expect(canonicalSessionType('Video Inbound')).toBeUndefined();
    const result = parseAdapterEvent({ type: 'New_Call', data: { call_id: 1, session_type: 'Video Inbound' } });
    expect(result.success && result.event).toEqual(expect.objectContaining({ data: { call_id: 1, session_type: 'Video Inbound' } }));
    expect(result.success && 'sessionType' in result.event).toBe(false);
  });
});

describe('adapter event schemas (EB1.2, EB1.3)', () => {
  it('EB1.2 knows every listed type, also written in another case', () => {
    expect(KnownAdapterEventTypes).toHaveLength(23);
    const result = parseAdapterEvent({ type: 'New_chat', data: { chat_id: 5 } });
    expect(result.success && result.event.adapterEventType).toBe('New_Chat');
  });

  it.each([
    ['cobrowse_session_remote_control', ['off', 'requested', 'rejected', 'on'], 'maybe'],
    ['cobrowse_session_full_device', ['off', 'requested', 'rejected', 'on'], 'ON'],
    ['cobrowse_session_requested_by', ['agent', 'end_user', 'end-user'], 'api'],
    ['cobrowse_session_ended_by', ['agent', 'end_user', 'end-user', 'api'], 'system'],
  ])('EB1.3 %s takes %j and refuses %s', (field, values, wrong) => {
    for (const value of values) {
      expect(issuesOf(parseAdapterEvent({ type: 'Cobrowse_Session_Ended', data: { cobrowse_session_id: 'c', [field]: value } }))).toEqual([]);
    }
    expect(pathsOf(parseAdapterEvent({ type: 'Cobrowse_Session_Ended', data: { cobrowse_session_id: 'c', [field]: wrong } }))).toEqual([`data.${field}`]);
  });

  it('EB1.3 a participant type is end_user or agent', () => {
    expect(issuesOf(parseAdapterEvent({ type: 'Party_Added', data: { call_id: 1, type: 'end_user', end_user_id: 9 } }))).toEqual([]);
    expect(pathsOf(parseAdapterEvent({ type: 'Party_Added', data: { call_id: 1, type: 'bot' } }))).toEqual(['data.type']);
  });

  it('EB1.3 takes the optional virtual-agent, SIP and custom data fields as objects, a signed custom data as a token', () => {
    const data = {
      call_id: 1,
      va_data_parameters: { language: 'en' },
      session_variable: { intent: 'billing' },
      custom_sip_headers: { 'X-Account': '42' },
      custom_data_secured: 'eyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ.c2ln',
      custom_data_not_secured: { plan: 'gold' },
    };
    expect(issuesOf(parseAdapterEvent({ type: 'New_Call', data }))).toEqual([]);
    expect(pathsOf(parseAdapterEvent({ type: 'New_Call', data: { call_id: 1, va_data_parameters: 'language=en', custom_data_secured: { a: 1 } } }))).toEqual([
      'data.va_data_parameters',
      'data.custom_data_secured',
    ]);
  });

  it('EB1.3 names every field of the wrong type, with its path', () => {
    const result = parseAdapterEvent({ type: 'Chat_Inbound_Message', data: { chat_id: true, message: 42, agent_email: ['a'], queue_id: -1 } });
    expect(pathsOf(result)).toEqual(['data.chat_id', 'data.agent_email', 'data.queue_id', 'data.message']);
  });

  it('EB1.3 reads null as "not given", as the End_Chat sample sends it', () => {
    expect(issuesOf(parseAdapterEvent({ type: 'End_Chat', data: { chat_id: 1, queue_id: null, queue_path: null, agent_custom_id: null } }))).toEqual([]);
  });

  it('EB1.5 keeps fields it does not know, untouched', () => {
    const data = { call_id: 'c1', adapter_version: '9.1', nested: { a: [1, 2] } };
    const result = parseAdapterEvent({ type: 'New_Call', data });
    expect(result.success && result.event.data).toEqual(data);
  });

  it('EB3.2 CRM_Record_Pop needs a web address as recordUrl, never a script', () => {
    expect(issuesOf(parseAdapterEvent({ type: 'CRM_Record_Pop', data: { agent_id: 1, recordUrl: 'https://crm.example.com/cases/42' } }))).toEqual([]);
    for (const recordUrl of ['javascript:alert(1)', 'data:text/html,<script>1</script>', 'crm.example.com/cases/42', undefined]) {
      expect(pathsOf(parseAdapterEvent({ type: 'CRM_Record_Pop', data: { agent_id: 1, recordUrl } }))).toEqual(['data.recordUrl']);
    }
  });

  it('P2.3 refuses an id longer than an event can carry', () => {
    expect(pathsOf(parseAdapterEvent({ type: 'New_Call', data: { call_id: 'x'.repeat(201) } }))).toEqual(['data.call_id']);
    expect(issuesOf(parseAdapterEvent({ type: 'New_Call', data: { call_id: 'x'.repeat(200) } }))).toEqual([]);
  });

  it.each([
    [{ data: {} }, 'type'],
    [{ type: '', data: {} }, 'type'],
    [{ type: 'New_Call' }, 'data'],
    [{ type: 'New_Call', data: [] }, 'data'],
    [{ type: 'New_Call', data: {}, extra: 1 }, ''],
    [{ type: '<script>', data: {} }, 'type'],
    [{ id: 'has space', type: 'New_Call', data: { call_id: 1 } }, 'id'],
  ])('EB1.1 refuses the envelope %j naming "%s"', (body, path) => {
    expect(pathsOf(parseAdapterEvent(body))).toEqual([path]);
  });
});

describe('adapter event keys (EB2.1)', () => {
  it.each([
    ['New_Call', { call_id: 7, chat_id: 8, agent_id: 1 }, 'call', '7'],
    ['Transfer_Call', { call_id: 'c-1', from_agent_id: 1, to_agent_id: 2 }, 'call', 'c-1'],
    ['Chat_Outbound_Message', { chat_id: 8, agent_id: 1 }, 'chat', '8'],
    ['Cobrowse_Session_Started', { chat_id: 791, cobrowse_session_id: 'Y1z' }, 'cobrowse', 'Y1z'],
    ['Agent_Login', { agent_id: 1 }, 'agent', '1'],
    ['Party_Added', { call_id: 3 }, 'call', '3'],
    ['Party_Added', { chat_id: 4 }, 'chat', '4'],
    ['Agent_Assist_Started', { session_id: 's-9', agent_id: '1' }, 'session', 's-9'],
    ['CRM_Record_Pop', { agent_id: 5, recordUrl: 'https://crm.example.com/r/1' }, 'agent', '5'],
    ['Hold_Started', { cobrowse_session_id: 'x', agent_id: 2 }, 'cobrowse', 'x'],
  ])('EB2.1 keys %s %j by its %s id', (type, data, sessionKind, sessionId) => {
    const result = parseAdapterEvent({ type, data });
    expect(result.success && result.event.session).toEqual({ sessionKind, sessionId });
  });

  it.each([
    ['New_Call', { chat_id: 1, agent_id: 1 }, 'data.call_id', 'is required for New_Call events'],
    ['Cobrowse_Session_Ended', { chat_id: 791 }, 'data.cobrowse_session_id', 'is required for Cobrowse_Session_Ended events'],
    ['Party_Added', { agent_id: 1 }, 'data.call_id', 'is required for Party_Added events (or chat_id)'],
    ['Agent_Logout', { agent_email: 'a@example.com' }, 'data.agent_id', 'is required for Agent_Logout events'],
    ['Hold_Started', { queue_id: 1 }, 'data.call_id', 'is required to key an event of an unknown type (or chat_id or cobrowse_session_id or agent_id or session_id)'],
  ])('EB2.1 refuses %s %j naming %s', (type, data, path, message) => {
    expect(issuesOf(parseAdapterEvent({ type, data }))).toEqual([{ path, message }]);
  });

  it("EB1.1 a browser's token names the agent: its id keys login events and stands for data.agent_id", () => {
    const result = parseAdapterEvent({ type: 'Agent_Login', data: { agent_id: 1 } }, { agentFromToken: 'agent-from-token' });
    expect(result.success && result.event.session).toEqual({ sessionKind: 'agent', sessionId: 'agent-from-token' });
    expect(parseAdapterEvent({ type: 'Agent_Logout', data: {} }, { agentFromToken: 'a-7' }).success).toBe(true);
  });
});

describe('agent.events.v1 payloads are checked on both sides (EB1.2, P3.2)', () => {
  const event = (adapterEventType: string, payload: Record<string, unknown>) =>
    createCloudEvent({
      type: agentEventType(adapterEventType),
      source: '/test',
      subject: 's',
      tenantId: '3f0e7b3c-1a2b-4c5d-8e9f-0a1b2c3d4e5f',
      data: { adapterEventType, sessionId: 's', sessionKind: 'chat', receivedAt: new Date().toISOString(), payload },
    });

  it("EB1.2 refuses a payload that breaks its type's schema", () => {
    expect(() => eventCatalog.parse(Topics.agentEvents, event('Cobrowse_Session_Ended', { cobrowse_session_ended_by: 'nobody' }))).toThrow(
      /payload.cobrowse_session_ended_by/,
    );
  });

  it('EB1.5 carries an unknown type as switchboard.agent.Unknown with its payload', () => {
    const parsed = eventCatalog.parse(Topics.agentEvents, event('Hold_Started', { chat_id: 1, hold_reason: 'lunch' }));
    expect(parsed.type).toBe('switchboard.agent.Unknown');
    expect((parsed.data as { payload: object }).payload).toEqual({ chat_id: 1, hold_reason: 'lunch' });
  });
});
