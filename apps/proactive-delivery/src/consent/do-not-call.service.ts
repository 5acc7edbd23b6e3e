import { Injectable, NotFoundException } from '@nestjs/common';
import { PrismaService, type ProactiveDeliveryTx } from '../database/prisma.service';
import type { DoNotCallEntry } from '../generated/prisma/client';
import { encodeCursor, type DoNotCallEntryInput, type DoNotCallListQuery } from './do-not-call-entry.schema';
import { IMPORT_UPSERT_SQL, SINGLE_UPSERT_SQL, upsertParameters, type UpsertedEntryRow } from './do-not-call-upsert.sql';

/** What isListed reads through: the PrismaService or an interactive transaction's client. */
export type DoNotCallReader = Pick<ProactiveDeliveryTx, 'doNotCallEntry'>;

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

// Rows per INSERT … ON CONFLICT statement: arrays keep the statement's parameter count at five.
const IMPORT_BATCH_ROWS = 5_000;
const IMPORT_TRANSACTION_TIMEOUT_MS = 120_000;

/** The tenant's do-not-call list (PD3.1): entries keyed by E.164 number, optionally expiring. */
@Injectable()
export class DoNotCallService {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Whether `e164` has an unexpired entry at `at`. Pass the transaction client when the answer must
   * hold for the rest of a transaction (the dispatcher's claim), or the PrismaService otherwise.
   */
  async isListed(db: DoNotCallReader, tenantId: string, e164: string, at: Date): Promise<boolean> {
    const entry = await db.doNotCallEntry.findFirst({
      where: { tenantId, phoneNumber: e164, OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] },
      select: { phoneNumber: true },
    });
    return entry !== null;
  }

  /** Adds the number, or replaces reason and expiry of its entry; `created` is false when it was listed already. */
  async add(tenantId: string, input: DoNotCallEntryInput, now: Date): Promise<{ entry: DoNotCallEntryView; created: boolean }> {
    const [row] = await this.prisma.$queryRawUnsafe<UpsertedEntryRow[]>(SINGLE_UPSERT_SQL, ...upsertParameters(tenantId, [input], now));
    if (!row) throw new Error(`Upserting ${input.phoneNumber} returned no row`);
    return {
      entry: toView({ phoneNumber: row.phone_number, reason: row.reason, expiresAt: row.expires_at, createdAt: row.created_at }, now),
      created: !row.was_active,
    };
  }

  /** All entries or none: one transaction of batched upserts. */
  async import(tenantId: string, entries: readonly DoNotCallEntryInput[], now: Date): Promise<DoNotCallImportResult> {
    // One lock order for every import, so two overlapping imports cannot deadlock.
    const sorted = [...entries].sort((a, b) => (a.phoneNumber < b.phoneNumber ? -1 : a.phoneNumber > b.phoneNumber ? 1 : 0));
    return this.prisma.$transaction(
      async (tx) => {
        const result: DoNotCallImportResult = { imported: 0, updated: 0 };
        for (let start = 0; start < sorted.length; start += IMPORT_BATCH_ROWS) {
          const batch = sorted.slice(start, start + IMPORT_BATCH_ROWS);
          const [counts] = await tx.$queryRawUnsafe<{ total: number; updated: number }[]>(IMPORT_UPSERT_SQL, ...upsertParameters(tenantId, batch, now));
          result.imported += (counts?.total ?? 0) - (counts?.updated ?? 0);
          result.updated += counts?.updated ?? 0;
        }
        return result;
      },
      { timeout: IMPORT_TRANSACTION_TIMEOUT_MS },
    );
  }

  /** The entry; an expired one only with `includeExpired`. */
  async get(tenantId: string, e164: string, options: { includeExpired: boolean }, now: Date): Promise<DoNotCallEntryView> {
    const row = await this.prisma.doNotCallEntry.findUnique({ where: { tenantId_phoneNumber: { tenantId, phoneNumber: e164 } } });
    if (!row) throw notListed(e164);
    const view = toView(row, now);
    if (view.expired && !options.includeExpired) throw notListed(e164, row.expiresAt);
    return view;
  }

  /** Removes the entry, expired or not. */
  async remove(tenantId: string, e164: string): Promise<void> {
    const { count } = await this.prisma.doNotCallEntry.deleteMany({ where: { tenantId, phoneNumber: e164 } });
    if (count === 0) throw notListed(e164);
  }

  /** Keyset pages in phone-number order. */
  async list(tenantId: string, query: DoNotCallListQuery, now: Date): Promise<DoNotCallPage> {
    const rows = await this.prisma.doNotCallEntry.findMany({
      where: {
        tenantId,
        ...(query.after !== null && { phoneNumber: { gt: query.after } }),
        ...(!query.includeExpired && { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }),
      },
      orderBy: { phoneNumber: 'asc' },
      take: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return { items: page.map((row) => toView(row, now)), nextCursor: rows.length > query.limit && last ? encodeCursor(last.phoneNumber) : null };
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
