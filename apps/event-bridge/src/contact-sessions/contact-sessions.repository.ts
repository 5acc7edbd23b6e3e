import { Injectable } from '@nestjs/common';
import { qualifiedTable } from '@switchboard/persistence';
import { EVENT_BRIDGE_SCHEMA, type EventBridgeTx } from '../database/prisma.service';
import type { SessionDocument, SessionEventKind, SessionState } from './session-document';

const CONTACT_SESSION = qualifiedTable(EVENT_BRIDGE_SCHEMA, 'contact_session');

/**
 * Creates the session row if it is new, and locks it either way: one session's events are merged one
 * after the other, whichever replica takes them. The no-op update is what takes the row lock.
 */
const LOCK_OR_CREATE = `
INSERT INTO ${CONTACT_SESSION} AS session (tenant_id, session_id, state, document, version, created_at, updated_at)
VALUES ($1, $2, 'pending', $3::jsonb, 0, $4, $4)
ON CONFLICT (tenant_id, session_id) DO UPDATE SET tenant_id = session.tenant_id
RETURNING state, document, version`;

export interface StoredSession {
  state: SessionState;
  document: SessionDocument;
  /** The count of accepted events; 0 for a session created by the event being applied. */
  version: number;
}

export interface NewSessionEvent {
  id: string;
  tenantId: string;
  sessionId: string;
  eventType: SessionEventKind;
  dedupeKey: string;
  version: number;
  occurredAt: Date;
  data: object;
  receivedAt: Date;
}

/** Contact sessions keyed by (tenant, session id), and every accepted session event (dedupe key unique per tenant). */
@Injectable()
export class ContactSessionsRepository {
  async lockOrCreate(tx: EventBridgeTx, tenantId: string, sessionId: string, emptyDocument: SessionDocument, now: Date): Promise<StoredSession> {
    const [row] = await tx.$queryRawUnsafe<StoredSession[]>(LOCK_OR_CREATE, tenantId, sessionId, JSON.stringify(emptyDocument), now);
    if (!row) throw new Error(`contact session ${sessionId} was neither created nor found`);
    return row;
  }

  /** The tenant's earlier event with this dedupe key, if any. */
  async eventWithKey(tx: EventBridgeTx, tenantId: string, dedupeKey: string): Promise<{ id: string; version: number } | undefined> {
    const found = await tx.contactSessionEvent.findUnique({ where: { tenantId_dedupeKey: { tenantId, dedupeKey } }, select: { id: true, version: true } });
    return found ?? undefined;
  }

  /** False when the tenant already has an event with its dedupe key. */
  async insertEventOnce(tx: EventBridgeTx, event: NewSessionEvent): Promise<boolean> {
    const { count } = await tx.contactSessionEvent.createMany({ data: [event], skipDuplicates: true });
    return count > 0;
  }

  async save(tx: EventBridgeTx, tenantId: string, sessionId: string, session: StoredSession, now: Date): Promise<void> {
    await tx.contactSession.update({
      where: { tenantId_sessionId: { tenantId, sessionId } },
      data: { state: session.state, document: session.document as object, version: session.version, updatedAt: now },
    });
  }

  async find(tx: EventBridgeTx, tenantId: string, sessionId: string): Promise<(StoredSession & { createdAt: Date; updatedAt: Date }) | undefined> {
    const row = await tx.contactSession.findUnique({ where: { tenantId_sessionId: { tenantId, sessionId } } });
    if (!row) return undefined;
    // Written only by this repository from a SessionDocument.
    return { state: row.state as SessionState, document: row.document as unknown as SessionDocument, version: row.version, createdAt: row.createdAt, updatedAt: row.updatedAt };
  }
}
