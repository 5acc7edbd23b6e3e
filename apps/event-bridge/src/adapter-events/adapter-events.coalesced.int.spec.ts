import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EventBridgeTestApp, startEventBridgeTestApp } from '../test-support/test-app';
import { requireAdapterEvent } from './adapter-event-intake';
import { AdapterEventsService } from './adapter-events.service';

const TENANT_A = randomUUID();
const TENANT_B = randomUUID();

describe('event-bridge: concurrent requests share insert statements (group commit, bench:ingest)', () => {
  let app: EventBridgeTestApp;

  beforeAll(async () => {
    app = await startEventBridgeTestApp();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  it('EB2.1 / EB2.2 / P1.1 twelve requests at once: fewer statements, each event stored and queued once under its own tenant, a twin answered with the first id', async () => {
    const service = app.app.get(AdapterEventsService);
    const statements = vi.spyOn(app.prisma.sql, 'queryPrepared');
    const calls = Array.from({ length: 11 }, (_, i) => ({ tenant: i % 2 === 0 ? TENANT_A : TENANT_B, callId: `call-${randomUUID()}` }));
    // The last request repeats the ninth (same tenant, same content): it waits in the same statement as the ninth.
    calls.push(calls[8] as (typeof calls)[number]);
    const ingestOne = ({ tenant, callId }: (typeof calls)[number]) =>
      service.ingestOne(requireAdapterEvent({ type: 'New_Call', data: { call_id: callId, agent_id: 1 } }), { tenantId: tenant, ingress: 'signed' });

    let results: Awaited<ReturnType<typeof ingestOne>>[];
    let inserts: unknown[];
    try {
      results = await Promise.all(calls.map(ingestOne));
      inserts = statements.mock.calls.filter(([name]) => name === 'event_bridge.insert_adapter_events');
    } finally {
      statements.mockRestore();
    }
    // Four start at once (one per slot); the eight that waited share the fifth statement.
    expect(inserts).toHaveLength(5);

    expect(results.slice(0, 11).every((result) => !result.duplicate)).toBe(true);
    expect(new Set(results.slice(0, 11).map((result) => result.eventId)).size).toBe(11);
    expect(results[11]).toEqual({ eventId: results[8]?.eventId, duplicate: true });
    for (const [i, { tenant, callId }] of calls.entries()) {
      const rows = await app.prisma.adapterEvent.findMany({ where: { sessionId: callId } });
      expect(rows.map((row) => ({ id: row.id, tenantId: row.tenantId }))).toEqual([{ id: results[i]?.eventId, tenantId: tenant }]);
      expect((await app.outbox({ key: callId })).map((row) => row.id)).toEqual([results[i]?.eventId]);
    }
  });
});
