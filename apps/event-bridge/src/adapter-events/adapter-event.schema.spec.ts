import { describe, expect, it } from 'vitest';
import { adapterEventSchema, sessionOf } from './adapter-event.schema';

describe('adapter event intake schema (EB1.1, EB2.1)', () => {
  it('accepts {type, data}', () => {
    expect(adapterEventSchema.safeParse({ type: 'New_Call', data: { call_id: 42 } }).success).toBe(true);
  });

  it.each([
    [{ data: {} }, 'type'],
    [{ type: '', data: {} }, 'type'],
    [{ type: 'New_Call' }, 'data'],
    [{ type: 'New_Call', data: [] }, 'data'],
    [{ type: 'New_Call', data: {}, extra: 1 }, 'extra'],
    [{ type: '<script>', data: {} }, 'type'],
  ])('refuses %j naming %s', (body, field) => {
    const result = adapterEventSchema.safeParse(body);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(field);
  });

  it('keys a session by call, chat, co-browse or agent id in that order', () => {
    expect(sessionOf({ call_id: 7, agent_id: 'a' })).toEqual({ sessionId: '7', sessionKind: 'call' });
    expect(sessionOf({ chat_id: 'c1' })).toEqual({ sessionId: 'c1', sessionKind: 'chat' });
    expect(sessionOf({ cobrowse_session_id: 's' })).toEqual({ sessionId: 's', sessionKind: 'cobrowse' });
    expect(sessionOf({ agent_id: 'a' })).toEqual({ sessionId: 'a', sessionKind: 'agent' });
    expect(sessionOf({ queue_id: 1 })).toBeUndefined();
  });

  it.each([
    ['call_id', 200],
    ['chat_id', 200],
    ['cobrowse_session_id', 200],
    ['agent_id', 200],
  ])('refuses a %s longer than the CloudEvent can carry (%i characters), naming it', (key, max) => {
    expect(adapterEventSchema.safeParse({ type: 'New_Call', data: { [key]: 'x'.repeat(max) } }).success).toBe(true);

    const result = adapterEventSchema.safeParse({ type: 'New_Call', data: { [key]: 'x'.repeat(max + 1) } });

    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['data', key], message: `must be at most ${max} characters` })]);
  });
});
