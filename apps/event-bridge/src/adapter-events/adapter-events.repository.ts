import { Injectable } from '@nestjs/common';
import { type EventBridgeTx } from '../database/prisma.service';
import type { AdapterEvent } from '../generated/prisma/client';

export type NewAdapterEvent = Omit<AdapterEvent, 'payload'> & { payload: object };

/** Accepted agent-adapter events (EB2.1), unique per tenant and dedupe key (EB2.2). */
@Injectable()
export class AdapterEventsRepository {
  /** Stores the event unless the tenant has one with its dedupe key; returns that earlier one's id then. */
  async insertOnce(tx: EventBridgeTx, event: NewAdapterEvent): Promise<{ inserted: true } | { inserted: false; existingId: string }> {
    const { count } = await tx.adapterEvent.createMany({ data: [event], skipDuplicates: true });
    if (count > 0) return { inserted: true };
    const existing = await tx.adapterEvent.findUniqueOrThrow({ where: { tenantId_dedupeKey: { tenantId: event.tenantId, dedupeKey: event.dedupeKey } } });
    return { inserted: false, existingId: existing.id };
  }
}
