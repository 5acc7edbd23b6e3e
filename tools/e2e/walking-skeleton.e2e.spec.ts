import { Role, signBody } from '@switchboard/auth';
import { createCloudEvent, dlqTopic, Topics } from '@switchboard/contracts';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestStack, TestStack } from './support/test-stack';

const TENANT_A = 'aaaaaaaa-0000-4000-8000-00000000000a';
const TENANT_B = 'bbbbbbbb-0000-4000-8000-00000000000b';
const SECRET_A = 'tenant-a-ingress-secret-0123456789abcdef';
const SECRET_B = 'tenant-b-ingress-secret-0123456789abcdef';

/**
 * Walking skeleton: event-bridge takes a signed New_Call over HTTP, stores it and publishes it through
 * its outbox; crm-sync consumes it idempotently into its own schema. Two real service processes,
 * real Postgres, a real Kafka-protocol broker.
 */
describe('walking skeleton: event-bridge → agent.events.v1 → crm-sync (P3.3, EB2.1, EB2.2, P1.1)', () => {
  let stack: TestStack;
  let kafka: Kafka;

  beforeAll(async () => {
    stack = await startTestStack(['event-bridge', 'crm-sync']);
    kafka = new Kafka({ clientId: 'e2e', brokers: stack.kafkaBrokers, logLevel: logLevel.NOTHING });
    for (const [tenant, secret] of [[TENANT_A, SECRET_A], [TENANT_B, SECRET_B]] as const) {
      const response = await fetch(`${stack.url('event-bridge')}/admin/ingress-secret`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${await stack.token(tenant, [Role.Administrator])}`, 'content-type': 'application/json' },
        body: JSON.stringify({ secret }),
      });
      expect(response.status).toBe(204);
    }
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  function postAdapterEvent(tenant: string, secret: string, body: string) {
    return fetch(`${stack.url('event-bridge')}/adapter-events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-switchboard-tenant': tenant, 'x-switchboard-signature': signBody(secret, body) },
      body,
    });
  }

  async function crmSyncEvents(tenant: string, sessionId: string): Promise<{ eventId: string; adapterEventType: string }[]> {
    const response = await fetch(`${stack.url('crm-sync')}/agent-events?sessionId=${encodeURIComponent(sessionId)}`, {
      headers: { authorization: `Bearer ${await stack.token(tenant, [Role.OmnichannelAgent])}` },
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: { eventId: string; adapterEventType: string }[] }).items;
  }

  const newCall = (callId: string) => JSON.stringify({ type: 'New_Call', data: { call_id: callId, agent_id: 'agent-7', session_type: 'Voice Inbound', queue_id: 12 } });

  /** A second event on the same partition, after which the first has surely been handled. */
  async function settle(tenant: string, secret: string, callId: string): Promise<void> {
    const end = JSON.stringify({ type: 'End_Call', data: { call_id: callId } });
    expect((await postAdapterEvent(tenant, secret, end)).status).toBe(202);
    await eventually(async () => ((await crmSyncEvents(tenant, callId)).some((e) => e.adapterEventType === 'End_Call') ? true : undefined), 'End_Call at crm-sync');
  }

  it('delivers a signed New_Call to crm-sync exactly once, and a resend is applied once', async () => {
    const callId = `call-${randomUUID()}`;
    const first = await postAdapterEvent(TENANT_A, SECRET_A, newCall(callId));
    expect(first.status).toBe(202);
    const { eventId, duplicate } = (await first.json()) as { eventId: string; duplicate: boolean };
    expect(duplicate).toBe(false);

    const resend = await postAdapterEvent(TENANT_A, SECRET_A, newCall(callId));
    expect(await resend.json()).toEqual({ eventId, duplicate: true });

    await settle(TENANT_A, SECRET_A, callId);
    const received = await crmSyncEvents(TENANT_A, callId);
    expect(received.filter((e) => e.adapterEventType === 'New_Call')).toEqual([expect.objectContaining({ eventId })]);
  });

  it('applies an event that Kafka delivers twice only once (inbox)', async () => {
    const callId = `dup-${randomUUID()}`;
    const event = createCloudEvent({
      type: 'switchboard.agent.New_Call',
      source: '/e2e',
      subject: callId,
      tenantId: TENANT_A,
      data: { adapterEventType: 'New_Call', sessionId: callId, sessionKind: 'call', receivedAt: new Date().toISOString(), payload: { call_id: callId } },
    });
    const producer = kafka.producer();
    await producer.connect();
    const message = { key: callId, value: JSON.stringify(event) };
    await producer.send({ topic: Topics.agentEvents, messages: [message, message] });
    await producer.disconnect();
    await settle(TENANT_A, SECRET_A, callId);
    expect((await crmSyncEvents(TENANT_A, callId)).filter((e) => e.eventId === event.id)).toHaveLength(1);
  });

  it('loses nothing when crm-sync crashes: events sent while it is down arrive after restart', async () => {
    await stack.services.get('crm-sync')?.kill();
    const callId = `crash-${randomUUID()}`;
    const accepted = await postAdapterEvent(TENANT_A, SECRET_A, newCall(callId));
    expect(accepted.status).toBe(202);
    await stack.start('crm-sync');
    const received = await eventually(async () => {
      const items = await crmSyncEvents(TENANT_A, callId);
      return items.length > 0 ? items : undefined;
    }, 'event after crm-sync restart', 60_000);
    expect(received).toHaveLength(1);
  }, 120_000);

  it('parks a message that breaks the contract in agent.events.v1.dlq', async () => {
    const marker = `poison-${randomUUID()}`;
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: Topics.agentEvents, messages: [{ key: marker, value: JSON.stringify({ specversion: '1.0', id: marker }) }] });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `dlq-reader-${randomUUID()}`, maxWaitTimeInMs: 100, sessionTimeout: 6_000 });
    const parked: Record<string, string>[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: dlqTopic(Topics.agentEvents), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (String(message.key) === marker) parked.push(Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])));
      },
    });
    try {
      const [headers] = await eventually(async () => (parked.length > 0 ? parked : undefined), 'poison message in the DLQ');
      expect(headers?.['x-dlq-original-topic']).toBe(Topics.agentEvents);
      expect(headers?.['x-dlq-error']).toMatch(/^contract: Invalid CloudEvent envelope/);
    } finally {
      await consumer.disconnect();
    }
  });

  it("never shows tenant A's event to tenant B, and refuses a tenant B signature for tenant A", async () => {
    const callId = `tenant-${randomUUID()}`;
    expect((await postAdapterEvent(TENANT_A, SECRET_A, newCall(callId))).status).toBe(202);
    await settle(TENANT_A, SECRET_A, callId);
    expect((await crmSyncEvents(TENANT_A, callId)).length).toBeGreaterThan(0);
    expect(await crmSyncEvents(TENANT_B, callId)).toEqual([]);

    const forged = await postAdapterEvent(TENANT_A, SECRET_B, newCall(`forged-${randomUUID()}`));
    expect(forged.status).toBe(401);
  });
});
