import { parseAdapterEvent, ParsedAdapterEvent } from '@switchboard/contracts';
import { describe, expect, it } from 'vitest';
import { eventIdentity } from './event-identity';

function parsed(value: unknown): ParsedAdapterEvent {
  const result = parseAdapterEvent(value);
  if (!result.success) throw new Error(JSON.stringify(result.issues));
  return result.event;
}

const signed = { ingress: 'signed' as const };

describe('adapter event identity (EB2.2)', () => {
  it('EB2.2 the same event re-serialised (key order, type case) is the same event', () => {
    const a = parsed(JSON.parse('{"type":"New_Chat","data":{"chat_id":1,"agent_id":2,"queue":{"a":1,"b":2}}}'));
    const b = parsed(JSON.parse('{"data":{"queue":{"b":2,"a":1},"agent_id":2,"chat_id":1},"type":"new_chat"}'));
    expect(eventIdentity(a, signed)).toBe(eventIdentity(b, signed));
  });

  it('EB2.2 a different value is a different event', () => {
    expect(eventIdentity(parsed({ type: 'New_Chat', data: { chat_id: 1 } }), signed)).not.toBe(eventIdentity(parsed({ type: 'New_Chat', data: { chat_id: '1' } }), signed));
  });

  it("EB2.2 with the sender's id, the id decides: equal content with two ids is two events, one id is one event", () => {
    const message = (id: string, text: string) => parsed({ id, type: 'Chat_Inbound_Message', data: { chat_id: 1, message: text } });
    expect(eventIdentity(message('m-1', 'ok'), signed)).not.toBe(eventIdentity(message('m-2', 'ok'), signed));
    expect(eventIdentity(message('m-1', 'ok'), signed)).toBe(eventIdentity(message('m-1', 'ok, edited'), signed));
  });

  it("EB1.1 an agent page's events are its own agent's: the same event from two agents, or from a server, is not one", () => {
    const event = parsed({ id: 'q-1', type: 'Active_Chat', data: { chat_id: 1 } });
    const kim = eventIdentity(event, { ingress: 'agent', agentId: 'kim' });
    expect(kim).toBe(eventIdentity(event, { ingress: 'agent', agentId: 'kim' }));
    expect(kim).not.toBe(eventIdentity(event, { ingress: 'agent', agentId: 'ira' }));
    expect(kim).not.toBe(eventIdentity(event, signed));
  });
});
