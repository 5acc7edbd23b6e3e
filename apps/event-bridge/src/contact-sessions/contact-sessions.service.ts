import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Clock } from '@switchboard/clock';
import { ContactSessionEventTypes, type SessionMetadata, Topics } from '@switchboard/contracts';
import { OutboxPublisher, type OutboxEntry } from '@switchboard/messaging';
import { createHash, randomUUID } from 'node:crypto';
import { PrismaService, type EventBridgeTx } from '../database/prisma.service';
import type { ContactSessionEventInput } from './contact-session-event.schema';
import { ContactSessionsRepository } from './contact-sessions.repository';
import { SessionAdapterEventsRepository } from './session-adapter-events.repository';
import { applySessionEvent, emptySessionDocument, type SessionDocument, type SessionEventRefusal, type SessionState, stateOf } from './session-document';
import { buildSessionMetadata } from './session-metadata';

export interface SessionEventResult {
  eventId: string;
  sessionId: string;
  /** The session's version after the event (for a duplicate: after the first copy). */
  version: number;
  duplicate: boolean;
}

export interface ContactSessionView {
  sessionId: string;
  state: SessionState;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** The merged session (server-side and agent-adapter events) in the metadata document's shape. */
  metadata: SessionMetadata;
}

const refusals: Record<SessionEventRefusal, string> = {
  SessionAlreadyStarted: 'has already started with other details; a start is accepted once',
  SessionAlreadyEnded: 'has already ended with other details; an end is accepted once',
};

/**
 * Merges the platform's server-side session events into contact sessions and publishes each on
 * `contact.session.v1` in the same transaction, keyed by session id. Identical resends change nothing.
 */
@Injectable()
export class ContactSessionsService {
  constructor(
    private readonly database: PrismaService,
    private readonly sessions: ContactSessionsRepository,
    private readonly adapterEvents: SessionAdapterEventsRepository,
    private readonly outbox: OutboxPublisher,
    private readonly clock: Clock,
  ) {}

  async accept(tenantId: string, input: ContactSessionEventInput, rawBody: Buffer, correlationId?: string): Promise<SessionEventResult> {
    const dedupeKey = createHash('sha256').update(rawBody).digest('hex');
    const { sessionId } = input;
    const now = this.clock.now();

    return this.database.transaction(async (tx) => {
      // Locked first: a concurrent resend of this event waits here, then finds the first copy below.
      const session = await this.sessions.lockOrCreate(tx, tenantId, sessionId, emptySessionDocument(), now);
      const earlier = await this.sessions.eventWithKey(tx, tenantId, dedupeKey);
      if (earlier) return { eventId: earlier.id, sessionId, version: earlier.version, duplicate: true };

      const applied = applySessionEvent(session.document, input);
      if (!applied.ok) throw new ConflictException({ code: applied.refusal, message: `Session ${sessionId} ${refusals[applied.refusal]}` });

      const eventId = randomUUID();
      const version = session.version + 1;
      const next = { state: stateOf(applied.document), document: applied.document, version };
      await this.sessions.insertEventOnce(tx, {
        id: eventId,
        tenantId,
        sessionId,
        eventType: input.type,
        dedupeKey,
        version,
        occurredAt: new Date(input.occurredAt),
        data: input.data,
        receivedAt: now,
      });
      await this.sessions.save(tx, tenantId, sessionId, next, now);
      const entries = await this.eventsToPublish(tx, { tenantId, input, eventId, version, document: applied.document, endedBefore: session.state === 'ended', now, correlationId });
      await this.outbox.enqueue(tx, entries);
      return { eventId, sessionId, version, duplicate: false };
    });
  }

  async get(tenantId: string, sessionId: string): Promise<ContactSessionView> {
    return this.database.transaction(async (tx) => {
      const session = await this.sessions.find(tx, tenantId, sessionId);
      // A session another tenant has under the same id is as unknown as one nobody has.
      if (!session || session.version === 0) throw new NotFoundException({ code: 'SessionNotFound', message: `No contact session ${sessionId}` });
      return {
        sessionId,
        state: session.state,
        version: session.version,
        createdAt: session.createdAt.toISOString(),
        updatedAt: session.updatedAt.toISOString(),
        metadata: await this.metadataOf(tx, tenantId, sessionId, session.version, session.document, this.clock.now()),
      };
    });
  }

  /**
   * The event's own CloudEvent; once the session has ended also a SessionEnded with the metadata rebuilt
   * (a late CSAT, a start that arrived after the end): consumers keep the highest version's metadata.
   */
  private async eventsToPublish(tx: EventBridgeTx, at: PublishInput): Promise<OutboxEntry[]> {
    const { tenantId, input, eventId, version, document, now, correlationId } = at;
    const position = { sessionId: input.sessionId, occurredAt: input.occurredAt, version };
    const publish = (id: string, type: string, data: object): OutboxEntry => ({
      topic: Topics.contactSession,
      key: input.sessionId,
      event: this.outbox.event({ id, type, subject: input.sessionId, tenantId, data, correlationId, time: now }),
    });
    const endedData = async () => {
      const ended = document.ended;
      if (!ended) throw new Error('only an ended session has SessionEnded data');
      const { occurredAt: endedAt, ...facts } = ended;
      return { ...position, occurredAt: endedAt, ...facts, metadata: await this.metadataOf(tx, tenantId, input.sessionId, version, document, now) };
    };

    switch (input.type) {
      case 'session.started':
        return [publish(eventId, ContactSessionEventTypes.started, { ...position, ...input.data, channel: document.started?.channel }), ...(at.endedBefore ? [publish(randomUUID(), ContactSessionEventTypes.ended, await endedData())] : [])];
      case 'session.updated':
        return [publish(eventId, ContactSessionEventTypes.updated, { ...position, ...input.data }), ...(at.endedBefore ? [publish(randomUUID(), ContactSessionEventTypes.ended, await endedData())] : [])];
      case 'session.ended':
        return [publish(eventId, ContactSessionEventTypes.ended, await endedData())];
    }
  }

  private async metadataOf(tx: EventBridgeTx, tenantId: string, sessionId: string, version: number, document: SessionDocument, now: Date): Promise<SessionMetadata> {
    const adapterEvents = await this.adapterEvents.forSession(tx, tenantId, sessionId);
    return buildSessionMetadata({ sessionId, version, document, adapterEvents, generatedAt: now });
  }
}

interface PublishInput {
  tenantId: string;
  input: ContactSessionEventInput;
  eventId: string;
  version: number;
  document: SessionDocument;
  /** The session had ended before this event arrived. */
  endedBefore: boolean;
  now: Date;
  correlationId?: string;
}
