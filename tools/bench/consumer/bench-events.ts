import { CloudEvent, createCloudEvent, Topics } from '@switchboard/contracts';

/** Sessions the events are spread over: their ids are the Kafka keys, so every partition gets work. */
const SESSIONS = 256;

/** The i-th event id of a run: a valid UUID that both sides can derive without sharing a list. */
export function benchEventId(runId: number, index: number): string {
  const run = runId.toString(16).padStart(8, '0').slice(-8);
  return `${run}-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

export function benchSessionId(index: number): string {
  return `bench-session-${index % SESSIONS}`;
}

/** The run's events, identical for the pipeline and the bare pair: agent-adapter New_Call events. */
export function benchEvents(runId: number, count: number, tenantId: string): CloudEvent[] {
  const receivedAt = new Date().toISOString();
  return Array.from({ length: count }, (_, index) => {
    const sessionId = benchSessionId(index);
    return createCloudEvent({
      id: benchEventId(runId, index),
      type: 'switchboard.agent.New_Call',
      source: '/switchboard/event-bridge',
      subject: sessionId,
      tenantId,
      data: { adapterEventType: 'New_Call', sessionId, sessionKind: 'call' as const, receivedAt, payload: { call_id: sessionId, benchIndex: index } },
    });
  });
}

export const BENCH_TOPIC = Topics.agentEvents;
