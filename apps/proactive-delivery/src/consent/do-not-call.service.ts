import { Injectable, NotFoundException } from '@nestjs/common';
import type { ProactiveDeliveryTx } from '../database/prisma.service';
import type { DoNotCallEntry } from '../generated/prisma/client';
import { encodeCursor, type DoNotCallEntryInput, type DoNotCallListQuery } from './do-not-call-entry.schema';
import { DoNotCallRepository } from './do-not-call.repository';

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

/** The tenant's do-not-call list (PD3.1): entries keyed by E.164 number, optionally expiring. */
@Injectable()
export class DoNotCallService {
  constructor(private readonly entries: DoNotCallRepository) {}

  /**
   * Whether `e164` has an unexpired entry at `at`. Pass the transaction client when the answer must
   * hold for the rest of a transaction (the dispatcher's claim), or the PrismaService otherwise.
   */
  isListed(db: ProactiveDeliveryTx, tenantId: string, e164: string, at: Date): Promise<boolean> {
    return this.entries.isListed(tenantId, e164, at, db);
  }

  /** Adds the number, or replaces reason and expiry of its entry; `created` is false when it was listed already. */
  async add(tenantId: string, input: DoNotCallEntryInput, now: Date): Promise<{ entry: DoNotCallEntryView; created: boolean }> {
    const { entry, wasListed } = await this.entries.upsert(tenantId, input, now);
    return { entry: toView(entry, now), created: !wasListed };
  }

  /** All entries or none: one transaction of batched upserts. */
  async import(tenantId: string, entries: readonly DoNotCallEntryInput[], now: Date): Promise<DoNotCallImportResult> {
    const { total, wereListed } = await this.entries.upsertAll(tenantId, entries, now);
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

  /** Removes the entry, expired or not. */
  async remove(tenantId: string, e164: string): Promise<void> {
    if (!(await this.entries.delete(tenantId, e164))) throw notListed(e164);
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
