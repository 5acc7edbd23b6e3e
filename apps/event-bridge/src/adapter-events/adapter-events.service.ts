import { Injectable } from '@nestjs/common';
import { AgentEventData, agentEventType, ParsedAdapterEvent, Topics } from '@switchboard/contracts';
import { OutboxPublisher } from '@switchboard/messaging';
import { randomUUID } from 'node:crypto';
import { CustomDataCheck, CustomDataService } from '../custom-data/custom-data.service';
import { AdapterEventSource } from './adapter-event-source';
import { IntakeItem } from './adapter-event-intake';
import { AdapterEventsRepository, NewAdapterEvent } from './adapter-events.repository';
import { eventIdentity } from './event-identity';

export interface IngestResult {
  eventId: string;
  duplicate: boolean;
}

export type BatchItemResult =
  | { index: number; status: 'accepted' | 'duplicate'; eventId: string }
  | { index: number; status: 'rejected'; error: Extract<IntakeItem, { ok: false }>['error'] };

export interface BatchResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  results: BatchItemResult[];
}

interface Prepared {
  row: NewAdapterEvent;
  data: AgentEventData;
}

/**
 * Stores adapter events and their `agent.events.v1` CloudEvents in one statement (EB2.1), so a
 * sender is acknowledged only once its events are durable. An event the tenant has already (EB2.2:
 * same sender id, or same content) is answered with the first one's id and published no second time.
 */
@Injectable()
export class AdapterEventsService {
  constructor(
    private readonly events: AdapterEventsRepository,
    private readonly outbox: OutboxPublisher,
    private readonly customData: CustomDataService,
  ) {}

  async ingestOne(event: ParsedAdapterEvent, source: AdapterEventSource): Promise<IngestResult> {
    const [result] = await this.ingest([event], source);
    return result as IngestResult;
  }

  /** Ingests the good items of a batch together; each bad one is answered on its own (EB1.1 b). */
  async ingestBatch(items: IntakeItem[], source: AdapterEventSource): Promise<BatchResult> {
    const good = items.flatMap((item, index) => (item.ok ? [{ index, event: item.event }] : []));
    const stored = await this.ingest(
      good.map((item) => item.event),
      source,
    );
    const outcomes = new Map(good.map((item, i) => [item.index, stored[i] as IngestResult]));
    const results = items.map((item, index): BatchItemResult => {
      if (!item.ok) return { index, status: 'rejected', error: item.error };
      const { eventId, duplicate } = outcomes.get(index) as IngestResult;
      return { index, status: duplicate ? 'duplicate' : 'accepted', eventId };
    });
    const count = (status: BatchItemResult['status']) => results.filter((result) => result.status === status).length;
    return { accepted: count('accepted'), duplicates: count('duplicate'), rejected: count('rejected'), results };
  }

  private async ingest(events: ParsedAdapterEvent[], source: AdapterEventSource): Promise<IngestResult[]> {
    if (events.length === 0) return [];
    const prepared = await this.prepare(events, source);
    // A batch may carry one event twice: the first stands for both.
    const firstByKey = new Map<string, Prepared>();
    for (const event of prepared) if (!firstByKey.has(event.row.dedupeKey)) firstByKey.set(event.row.dedupeKey, event);
    const distinct = [...firstByKey.values()];

    const outbox = this.outbox.rows(distinct.map((event) => ({ topic: Topics.agentEvents, key: event.data.sessionId, event: this.cloudEventOf(event, source) })));
    const inserted = await this.events.insertNew(
      distinct.map((event) => event.row),
      outbox,
    );
    if (inserted.size > 0) this.outbox.relaySoon();
    // Stored before by this tenant, or by a concurrent twin the insert waited for (it has committed by now).
    const earlier = await this.events.idsByDedupeKey(
      source.tenantId,
      distinct.filter((event) => !inserted.has(event.row.dedupeKey)).map((event) => event.row.dedupeKey),
    );
    const storedIds = new Map(distinct.map((event) => [event.row.dedupeKey, inserted.has(event.row.dedupeKey) ? event.row.id : (earlier.get(event.row.dedupeKey) as string)]));

    return prepared.map((event) => {
      const eventId = storedIds.get(event.row.dedupeKey) as string;
      const first = firstByKey.get(event.row.dedupeKey) === event;
      return { eventId, duplicate: !(first && eventId === event.row.id) };
    });
  }

  private async prepare(events: ParsedAdapterEvent[], source: AdapterEventSource): Promise<Prepared[]> {
    const verify = this.customData.verifierFor(source.tenantId);
    const receivedAt = new Date();
    return Promise.all(
      events.map(async (event) => {
        const token = event.data['custom_data_secured'];
        const check = typeof token === 'string' ? await verify(token) : undefined;
        const agentId = source.ingress === 'agent' ? source.agentId : adapterAgentId(event.data);
        const data = normalisedData(event, { receivedAt, agentId, ingress: source.ingress, check });
        const row: NewAdapterEvent = {
          id: randomUUID(),
          tenantId: source.tenantId,
          dedupeKey: eventIdentity(event, source),
          adapterEventType: event.adapterEventType,
          sessionId: event.session.sessionId,
          sessionKind: event.session.sessionKind,
          agentId: agentId ?? null,
          senderEventId: event.senderEventId ?? null,
          ingress: source.ingress,
          sessionType: event.sessionType ?? null,
          customDataVerified: check?.verified ?? null,
          payload: event.data,
          receivedAt,
        };
        return { row, data };
      }),
    );
  }

  private cloudEventOf({ row, data }: Prepared, source: AdapterEventSource) {
    return this.outbox.event({
      id: row.id,
      type: agentEventType(row.adapterEventType),
      subject: row.sessionId,
      tenantId: source.tenantId,
      data,
      correlationId: source.correlationId,
    });
  }
}

/** The adapter's own agent id (a number in most samples), as the CloudEvent's agentId. */
function adapterAgentId(data: Record<string, unknown>): string | undefined {
  const value = data['agent_id'];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function normalisedData(
  event: ParsedAdapterEvent,
  context: { receivedAt: Date; agentId?: string; ingress: AgentEventData['ingress']; check?: CustomDataCheck },
): AgentEventData {
  const { check } = context;
  return {
    adapterEventType: event.adapterEventType,
    sessionId: event.session.sessionId,
    sessionKind: event.session.sessionKind,
    ...(context.agentId === undefined ? {} : { agentId: context.agentId }),
    receivedAt: context.receivedAt.toISOString(),
    payload: event.data,
    ...(event.senderEventId === undefined ? {} : { senderEventId: event.senderEventId }),
    ...(event.sessionType === undefined ? {} : { sessionType: event.sessionType }),
    ingress: context.ingress,
    ...(check === undefined ? {} : { customDataVerified: check.verified }),
    ...(check?.verified ? { customData: check.claims } : {}),
  };
}
