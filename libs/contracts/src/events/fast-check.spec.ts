import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { KnownAdapterEventTypes } from '../agent/adapter-event-payloads';
import { eventCatalog } from '../catalog';
import { Topics } from '../topics';
import { createCloudEvent } from './cloud-event';
import { EventCatalog } from './event-catalog';
import { compileFastCheck } from './fast-check';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Sets an own, enumerable `__proto__` key as JSON.parse does (an assignment would set the prototype). */
function withProtoKey(object: Json): Json {
  const copy = { ...object };
  Object.defineProperty(copy, '__proto__', { value: { polluted: true }, enumerable: true, configurable: true, writable: true });
  return copy;
}

const REPLACEMENTS: unknown[] = [null, undefined, 0, -1, 1.5, 2 ** 60, Number.NaN, true, '', 'x', 'x'.repeat(201), 'x'.repeat(1_001), '2026-12-03T10:00:00Z', {}, [], new Date(0)];

/** Every variant of `value` with one change somewhere: a key removed, replaced, added, or the `__proto__` key. */
function* mutations(value: Json): Generator<Json> {
  for (const key of Object.keys(value)) {
    const { [key]: _removed, ...rest } = value;
    yield rest;
    for (const replacement of REPLACEMENTS) yield { ...value, [key]: replacement };
    const inner = value[key];
    if (isObject(inner)) for (const variant of mutations(inner)) yield { ...value, [key]: variant };
  }
  yield { ...value, extra: 'added' };
  yield withProtoKey(value);
}

function outcome(catalog: EventCatalog, topic: string, value: unknown): { event: unknown } | { error: string } {
  try {
    return { event: catalog.parse(topic, value) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const zodCatalog = (catalog: EventCatalog) =>
  // The same contracts with the fast checks off: what the catalog did before they existed.
  new EventCatalog(
    catalog.topics().map((topic) => ({
      topic,
      events: Object.fromEntries(catalog.typesOn(topic).map((type) => [type, catalog.definitionOf(type)?.data as z.ZodType])),
    })),
    { fastChecks: false },
  );

const fixture = (name: string) => (JSON.parse(readFileSync(join(__dirname, '..', 'agent', 'fixtures', name), 'utf8')) as { data: Json }).data;

/** Agent events as event-bridge writes them: the samples' payloads, and every optional field once. */
function agentEvents(): Json[] {
  const base = (type: string, payload: Json, extra: Json = {}) =>
    JSON.parse(
      JSON.stringify(
        createCloudEvent({
          type: `switchboard.agent.${type}`,
          source: '/switchboard/event-bridge',
          subject: 'session-1',
          tenantId: '33333333-3333-4333-8333-333333333333',
          correlationId: 'corr-1',
          data: { adapterEventType: type, sessionId: 'session-1', sessionKind: 'call', receivedAt: '2026-12-03T10:00:00.000Z', payload, ...extra },
        }),
      ),
    ) as Json;
  return [
    base('New_Call', fixture('new-call.json')),
    base('New_Chat', fixture('new-chat.json'), { agentId: '7', senderEventId: 'e-1', sessionType: 'Voice Campaign', ingress: 'signed' }),
    base('Agent_Login', fixture('agent-login.json'), { customDataVerified: true, customData: { crm: 'x', n: 1 } }),
    base('Cobrowse_Session_Started', fixture('cobrowse-session-started.json')),
    base('Unknown', { anything: [1, 2], nested: { a: null } }),
  ];
}

describe('fast checks of the event catalog: the same verdicts as zod, cheaper for valid events', () => {
  const reference = zodCatalog(eventCatalog);

  it('compiles the envelope and most event types, agent events included', () => {
    for (const type of KnownAdapterEventTypes.filter((name) => name !== 'CRM_Record_Pop')) {
      expect(compileFastCheck(eventCatalog.definitionOf(`switchboard.agent.${type}`)?.data as z.ZodType), type).toBeDefined();
    }
  });

  it('returns a valid event without copying it, equal to what zod returns', () => {
    for (const event of agentEvents()) {
      const parsed = eventCatalog.parse(Topics.agentEvents, event);
      expect(parsed.data).toBe(event['data']);
      expect(parsed).toStrictEqual(reference.parse(Topics.agentEvents, event));
    }
  });

  it('accepts and rejects exactly what zod does, with the same message, for every one-change variant of valid events', () => {
    let cases = 0;
    for (const event of agentEvents()) {
      for (const variant of mutations(event)) {
        expect(outcome(eventCatalog, Topics.agentEvents, variant)).toStrictEqual(outcome(reference, Topics.agentEvents, variant));
        cases++;
      }
    }
    expect(cases).toBeGreaterThan(1_000);
  });
});

describe('compileFastCheck', () => {
  const agrees = (schema: z.ZodType, values: unknown[]) => {
    const check = compileFastCheck(schema);
    expect(check).toBeDefined();
    for (const value of values) {
      const result = schema.safeParse(value);
      if (check?.accepts(value)) expect(result, JSON.stringify(value)).toStrictEqual({ success: true, data: value });
      else if (check?.exact) expect(result.success, JSON.stringify(value)).toBe(false);
    }
  };

  it('mirrors string lengths and pattern formats, numbers, enums, literals, nullish and unions', () => {
    agrees(z.string().min(2).max(4), ['a', 'ab', 'abcd', 'abcde', 3, null]);
    agrees(z.iso.datetime({ offset: true }), ['2026-12-03T10:00:00Z', '2026-12-03T10:00:00+01:00', '2026-02-30T10:00:00Z', 'now']);
    agrees(z.uuid(), ['33333333-3333-4333-8333-333333333333', 'nope']);
    agrees(z.int().min(0), [0, 5, -1, 1.5, 2 ** 60, Number.NaN, Infinity, '1']);
    agrees(z.number().lt(3), [2.9, 3, Infinity]);
    agrees(z.enum(['a', 'b']), ['a', 'c', undefined]);
    agrees(z.literal('1.0'), ['1.0', 1, '1']);
    agrees(z.union([z.string().min(1), z.int().min(0)]).nullish(), ['', 'x', 0, -1, null, undefined, {}]);
  });

  it('takes objects only when zod would return them unchanged: nothing to strip, no prototype key', () => {
    const strip = z.object({ a: z.string(), b: z.string().optional() });
    const check = compileFastCheck(strip);
    expect(check?.accepts({ a: 'x' })).toBe(true);
    expect(check?.accepts({ a: 'x', b: undefined })).toBe(true);
    expect(strip.parse({ a: 'x', b: undefined })).toStrictEqual({ a: 'x', b: undefined });
    expect(check?.accepts({ a: 'x', c: 1 })).toBe(false); // zod accepts it, but strips c: zod decides
    expect(check?.accepts({})).toBe(false);
    expect(check?.accepts(new Date(0))).toBe(false);
    expect(compileFastCheck(z.looseObject({ a: z.string() }))?.accepts({ a: 'x', c: 1 })).toBe(true);
    expect(compileFastCheck(z.looseObject({ a: z.string() }))?.accepts(withProtoKey({ a: 'x' }))).toBe(false);
    expect(compileFastCheck(z.strictObject({ a: z.string() }))?.accepts({ a: 'x', c: 1 })).toBe(false);
    agrees(z.record(z.string().max(3), z.unknown()), [{ abc: 1 }, { abcd: 1 }, [], withProtoKey({})]);
  });

  it('leaves to zod what it does not mirror: transforms, defaults, refinements, other formats, discriminated and exclusive unions', () => {
    expect(compileFastCheck(z.string().trim())).toBeUndefined();
    expect(compileFastCheck(z.string().default('x'))).toBeUndefined();
    expect(compileFastCheck(z.string().refine((value) => value !== 'x'))).toBeUndefined();
    expect(compileFastCheck(z.email())).toBeUndefined();
    expect(compileFastCheck(z.object({ a: z.string() }).transform((value) => value.a))).toBeUndefined();
    expect(compileFastCheck(z.discriminatedUnion('k', [z.object({ k: z.literal('a') })]))).toBeUndefined();
    expect(compileFastCheck(z.xor([z.string(), z.int()]))).toBeUndefined();
    // An inexact option before the last could hide zod's first success: not mirrored.
    expect(compileFastCheck(z.union([z.object({ a: z.string() }), z.string()]))).toBeUndefined();
  });
});
