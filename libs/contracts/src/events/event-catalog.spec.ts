import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { AgentEventData } from '../agent/agent-events';
import { DeliveryEventTypes, deliveryClosedSchema } from '../proactive/delivery-events';
import { CatalogEvent, eventCatalog } from '../catalog';
import { Topics, dlqTopic, originalTopicOfDlq } from '../topics';
import { createCloudEvent } from './cloud-event';

const newCall = () =>
  createCloudEvent({
    type: 'switchboard.agent.New_Call',
    source: '/event-bridge',
    subject: 'call-1',
    tenantId: '3f0e7b3c-1a2b-4c5d-8e9f-0a1b2c3d4e5f',
    data: { adapterEventType: 'New_Call', sessionId: 'call-1', sessionKind: 'call', receivedAt: new Date().toISOString(), payload: {} },
  });

describe('event contracts (P3.2)', () => {
  it('accepts a valid CloudEvents 1.0 envelope with tenant extension', () => {
    const event = eventCatalog.parse(Topics.agentEvents, JSON.parse(JSON.stringify(newCall())));
    expect(event.specversion).toBe('1.0');
    expect(event.tenantid).toBe('3f0e7b3c-1a2b-4c5d-8e9f-0a1b2c3d4e5f');
  });

  it('refuses an envelope without the tenant extension', () => {
    const { tenantid: _dropped, ...rest } = newCall();
    expect(() => eventCatalog.parse(Topics.agentEvents, rest)).toThrow(/tenantid/);
  });

  it('refuses an event type on the wrong topic', () => {
    expect(() => eventCatalog.parse(Topics.proactiveDelivery, newCall())).toThrow(/belongs on agent.events.v1/);
  });

  it('refuses data that breaks the type schema', () => {
    const event = { ...newCall(), data: { sessionId: 'x' } };
    expect(() => eventCatalog.parse(Topics.agentEvents, event)).toThrow(/Invalid data for switchboard.agent.New_Call/);
  });

  it('refuses unknown event types', () => {
    expect(() => eventCatalog.parse(Topics.agentEvents, { ...newCall(), type: 'nope' })).toThrow(/Unknown event type/);
  });

  it('names DLQ topics <topic>.dlq and maps them back (P3.3)', () => {
    expect(dlqTopic(Topics.agentEvents)).toBe('agent.events.v1.dlq');
    expect(originalTopicOfDlq('agent.events.v1.dlq')).toBe('agent.events.v1');
    expect(() => originalTopicOfDlq('agent.events.v1')).toThrow();
  });

  it('uses versioned topic names <domain>.<entity>.v<major> (P3.1)', () => {
    for (const topic of Object.values(Topics)) expect(topic).toMatch(/^[a-z]+\.[a-z]+(-[a-z]+)*\.v\d+$/);
  });
});

describe('consumer payload types come from the catalog', () => {
  it('types one event type of a topic, and the union of a topic', () => {
    type Completed = CatalogEvent<typeof Topics.proactiveDelivery, typeof DeliveryEventTypes.completed>;
    expectTypeOf<Completed['type']>().toEqualTypeOf<'switchboard.proactive.DeliveryCompleted'>();
    expectTypeOf<Completed['data']>().toEqualTypeOf<z.output<typeof deliveryClosedSchema>>();
    type AnyAgentEvent = CatalogEvent<typeof Topics.agentEvents>;
    expectTypeOf<AnyAgentEvent['data']>().toExtend<AgentEventData>();
    type RecordPop = CatalogEvent<typeof Topics.agentEvents, 'switchboard.agent.CRM_Record_Pop'>;
    expectTypeOf<RecordPop['data']['payload']['recordUrl']>().toEqualTypeOf<string>();
    expectTypeOf<AnyAgentEvent['type']>().toExtend<`switchboard.agent.${string}`>();
  });
});
