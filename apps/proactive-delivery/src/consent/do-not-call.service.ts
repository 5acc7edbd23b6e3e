import { Injectable, NotFoundException } from '@nestjs/common';
import { OutboxPublisher } from '@switchboard/messaging';
import { PrismaService, type ProactiveDeliveryTx } from '../database/prisma.service';
import type { DoNotCallEntry } from '../generated/prisma/client';
import { encodeCursor, type DoNotCallEntryInput, type DoNotCallListQuery } from './do-not-call-entry.schema';
import { DoNotCallRepository } from './do-not-call.repository';
import { VoiceConsentEvents } from './voice-consent-events';

export interface DoNotCallEntryView {
  /** E.164 */
  phoneNumber: string;
  reason: string | null;
  /** ISO 8601 UTC; null: listed until removed. */
  expiresAt: string | null;
  createdAt: string;
  /** True once expiresAt has passed: the number may be dialed again. Only listed with includeExpired. */
  expired: boolean;
}

export interface DoNotCallPage {
  items: DoNotCallEntryView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface DoNotCallImportResult {
  /** Numbers that were not on the list (or only with an expired entry) and are now. */
  imported: number;
  /** Numbers already on the list whose reason and expiry were replaced. */
  updated: number;
}

/**
 * The tenant's do-not-call list (PD3.1): entries keyed by E.164 number, optionally expiring. Administrators'
 * changes are published on `voice.consent.v1` (one consent across channels) in the same transaction.
 */
@Injectable()
export class DoNotCallService {
  private readonly events: VoiceConsentEvents;

  constructor(
    private readonly entries: DoNotCallRepository,
    private readonly database: PrismaService,
    private readonly outbox: OutboxPublisher,
  ) {
    this.events = new VoiceConsentEvents(outbox);
  }

  /**
   * Whether `e164` has an unexpired entry at `at`. Pass the transaction client when the answer must
   * hold for the rest of a transaction (the dispatcher's claim), or the PrismaService otherwise.
   */
  isListed(db: ProactiveDeliveryTx, tenantId: string, e164: string, at: Date): Promise<boolean> {
    return this.entries.isListed(tenantId, e164, at, db);
  }

  /** Adds the number, or replaces reason and expiry of its entry; `created` is false when it was listed already. */
  async add(tenantId: string, input: DoNotCallEntryInput, now: Date): Promise<{ entry: DoNotCallEntryView; created: boolean }> {
    const { entry, wasListed } = await this.database.transaction(async (tx) => {
      const upserted = await this.entries.upsert(tx, tenantId, input, now);
      await this.outbox.enqueue(tx, this.events.listed(tenantId, [input], 'api', now));
      return upserted;
    });
    return { entry: toView(entry, now), created: !wasListed };
  }

  /** All entries or none: one transaction of batched upserts. */
  async import(tenantId: string, entries: readonly DoNotCallEntryInput[], now: Date): Promise<DoNotCallImportResult> {
    const { total, wereListed } = await this.entries.upsertAll(tenantId, entries, now, (tx, batch) => this.outbox.enqueue(tx, this.events.listed(tenantId, batch, 'import', now)));
    return { imported: total - wereListed, updated: wereListed };
  }

  /** The entry; an expired one only with `includeExpired`. */
  async get(tenantId: string, e164: string, options: { includeExpired: boolean }, now: Date): Promise<DoNotCallEntryView> {
    const row = await this.entries.find(tenantId, e164);
    if (!row) throw notListed(e164);
    const view = toView(row, now);
    if (view.expired && !options.includeExpired) throw notListed(e164, row.expiresAt);
    return view;
  }

  /** Removes the entry, expired or not; an administrator's removal of an administrator's entry is published. */
  async remove(tenantId: string, e164: string, now: Date): Promise<void> {
    const removed = await this.database.transaction(async (tx) => {
      const entry = await this.entries.delete(tx, tenantId, e164);
      // A listing a customer's SMS keyword made was never published here: its removal is not either.
      if (entry?.source === null) await this.outbox.enqueue(tx, [this.events.unlisted(tenantId, e164, now)]);
      return entry;
    });
    if (!removed) throw notListed(e164);
  }

  /** Keyset pages in phone-number order. */
  async list(tenantId: string, query: DoNotCallListQuery, now: Date): Promise<DoNotCallPage> {
    const { rows, more } = await this.entries.page(tenantId, query, now);
    const last = rows.at(-1);
    return { items: rows.map((row) => toView(row, now)), nextCursor: more && last ? encodeCursor(last.phoneNumber) : null };
  }
}

function toView(row: Pick<DoNotCallEntry, 'phoneNumber' | 'reason' | 'expiresAt' | 'createdAt'>, now: Date): DoNotCallEntryView {
  return {
    phoneNumber: row.phoneNumber,
    reason: row.reason,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    expired: row.expiresAt !== null && row.expiresAt <= now,
  };
}

function notListed(e164: string, expiredAt?: Date | null): NotFoundException {
  const message = expiredAt
    ? `${e164} is not on the do-not-call list: its entry expired at ${expiredAt.toISOString()} (add includeExpired=true to see it)`
    : `${e164} is not on the do-not-call list`;
  return new NotFoundException({ code: 'DoNotCallEntryNotFound', message });
}
