import { BadRequestException, Injectable } from '@nestjs/common';
import { agentEventType, AgentEventData, Topics } from '@switchboard/contracts';
import { OutboxPublisher } from '@switchboard/messaging';
import { createHash, randomUUID } from 'node:crypto';
import { PrismaService } from '../database/prisma.service';
import { AdapterEventInput, sessionOf } from './adapter-event.schema';
import { AdapterEventsRepository } from './adapter-events.repository';

export interface IngestResult {
  eventId: string;
  duplicate: boolean;
}

/**
 * Stores an adapter event and its `agent.events.v1` CloudEvent in one transaction (EB2.1), so the sender
 * is acknowledged only once the event is durable. A resend of the same body is a no-op (EB2.2).
 */
@Injectable()
export class AdapterEventsService {
  constructor(
    private readonly database: PrismaService,
    private readonly events: AdapterEventsRepository,
    private readonly outbox: OutboxPublisher,
  ) {}

  async ingest(tenantId: string, input: AdapterEventInput, rawBody: Buffer, correlationId?: string): Promise<IngestResult> {
    const session = sessionOf(input.data);
    if (!session) throw new BadRequestException('data must carry call_id, chat_id, cobrowse_session_id or agent_id');
    const dedupeKey = createHash('sha256').update(rawBody).digest('hex');
    const eventId = randomUUID();
    const receivedAt = new Date();

    return this.database.transaction(async (tx) => {
      const stored = await this.events.insertOnce(tx, {
        id: eventId,
        tenantId,
        dedupeKey,
        adapterEventType: input.type,
        sessionId: session.sessionId,
        payload: input.data,
        receivedAt,
      });
      if (!stored.inserted) return { eventId: stored.existingId, duplicate: true };
      const data: AgentEventData = {
        adapterEventType: input.type,
        sessionId: session.sessionId,
        sessionKind: session.sessionKind,
        agentId: typeof input.data['agent_id'] === 'string' ? input.data['agent_id'] : undefined,
        receivedAt: receivedAt.toISOString(),
        payload: input.data,
      };
      const event = this.outbox.event({ id: eventId, type: agentEventType(input.type), subject: session.sessionId, tenantId, data, correlationId });
      await this.outbox.enqueue(tx, [{ topic: Topics.agentEvents, event, key: session.sessionId }]);
      return { eventId, duplicate: false };
    });
  }
}
