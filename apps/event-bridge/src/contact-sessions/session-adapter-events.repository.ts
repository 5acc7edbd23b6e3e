import { Injectable } from '@nestjs/common';
import type { EventBridgeTx } from '../database/prisma.service';
import type { SessionAdapterEvent } from './adapter-activity';

/** More adapter events than one session plausibly has; the rest would not change its metadata's shape. */
const MAX_ADAPTER_EVENTS_PER_SESSION = 5_000;

/**
 * The agent-adapter events of one session, read from the adapter-event intake's table. Reads only the
 * columns it needs (the intake may add others) and takes payloads as they are: adapterActivity reads them.
 */
@Injectable()
export class SessionAdapterEventsRepository {
  async forSession(tx: EventBridgeTx, tenantId: string, sessionId: string): Promise<SessionAdapterEvent[]> {
    const rows = await tx.adapterEvent.findMany({
      where: { tenantId, sessionId },
      select: { adapterEventType: true, payload: true, receivedAt: true },
      orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
      take: MAX_ADAPTER_EVENTS_PER_SESSION,
    });
    return rows.map((row) => ({ adapterEventType: row.adapterEventType, receivedAt: row.receivedAt, payload: isRecord(row.payload) ? row.payload : {} }));
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
