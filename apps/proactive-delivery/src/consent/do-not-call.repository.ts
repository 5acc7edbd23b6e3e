import { Injectable } from '@nestjs/common';
import { PrismaService, type ProactiveDeliveryTx } from '../database/prisma.service';
import { Tables } from '../database/tables';
import type { DoNotCallEntry } from '../generated/prisma/client';
import type { DoNotCallEntryInput, DoNotCallListQuery } from './do-not-call-entry.schema';

/**
 * Upserts many entries in one statement: the rows arrive as three arrays unnested into a table,
 * so a 5 000-row batch is still one statement with five parameters ($1 tenant, $2 numbers,
 * $3 reasons, $4 expiry instants, $5 now). `active_before` is read from the statement's snapshot,
 * i.e. before the insert, and tells "newly listed" from "replaced".
 */
const UPSERT_CTE = `
WITH incoming AS (
  SELECT * FROM unnest($2::text[], $3::text[], $4::timestamptz[]) AS incoming(phone_number, reason, expires_at)
),
active_before AS (
  SELECT existing.phone_number
  FROM ${Tables.doNotCallEntry} existing JOIN incoming USING (phone_number)
  WHERE existing.tenant_id = $1 AND (existing.expires_at IS NULL OR existing.expires_at > $5::timestamptz)
),
upserted AS (
  INSERT INTO ${Tables.doNotCallEntry} AS entry (tenant_id, phone_number, reason, expires_at, created_at)
  SELECT $1, phone_number, reason, expires_at, $5::timestamptz FROM incoming
  ON CONFLICT (tenant_id, phone_number) DO UPDATE
    SET reason = EXCLUDED.reason,
        expires_at = EXCLUDED.expires_at,
        source = NULL, -- an administrator's listing is theirs: a customer's opt-in no longer removes it
        -- Listing a number whose entry had expired is a new listing.
        created_at = CASE WHEN entry.expires_at IS NOT NULL AND entry.expires_at <= $5::timestamptz
                          THEN EXCLUDED.created_at ELSE entry.created_at END
  RETURNING entry.phone_number, entry.reason, entry.expires_at, entry.created_at
)`;

const SINGLE_UPSERT_SQL = `${UPSERT_CTE}
SELECT upserted.*, EXISTS (SELECT 1 FROM active_before WHERE active_before.phone_number = upserted.phone_number) AS was_active
FROM upserted`;

const IMPORT_UPSERT_SQL = `${UPSERT_CTE}
SELECT (SELECT count(*) FROM upserted)::int AS total, (SELECT count(*) FROM active_before)::int AS updated`;

export const CONSENT_SOURCE = 'messaging-consent';

/**
 * A customer's opt-out lists the number until they opt back in. It takes over an entry that would expire (or
 * has): the customer's wish outlasts an administrator's time limit. A permanent administrator entry stays as it is.
 */
const CONSENT_LIST_SQL = `
INSERT INTO ${Tables.doNotCallEntry} AS entry (tenant_id, phone_number, reason, expires_at, created_at, source)
VALUES ($1, $2, $3, NULL, $4::timestamptz, '${CONSENT_SOURCE}')
ON CONFLICT (tenant_id, phone_number) DO UPDATE
  SET reason = EXCLUDED.reason, expires_at = NULL, created_at = EXCLUDED.created_at, source = EXCLUDED.source
  WHERE entry.expires_at IS NOT NULL`;

/** An entry after an upsert, and whether it was listed (unexpired) before. */
export interface UpsertedEntry {
  entry: Pick<DoNotCallEntry, 'phoneNumber' | 'reason' | 'expiresAt' | 'createdAt'>;
  wasListed: boolean;
}

interface UpsertedEntryRow {
  phone_number: string;
  reason: string | null;
  expires_at: Date | null;
  created_at: Date;
  was_active: boolean;
}

// Rows per INSERT … ON CONFLICT statement: arrays keep the statement's parameter count at five.
const IMPORT_BATCH_ROWS = 5_000;
const IMPORT_TRANSACTION_TIMEOUT_MS = 120_000;

/** The do-not-call list (PD3.1): entries keyed by tenant and E.164 number, optionally expiring. */
@Injectable()
export class DoNotCallRepository {
  constructor(private readonly database: PrismaService) {}

  /** Whether `e164` has an unexpired entry at `at`; inside a transaction when `db` is one. */
  async isListed(tenantId: string, e164: string, at: Date, db: ProactiveDeliveryTx = this.database): Promise<boolean> {
    const entry = await db.doNotCallEntry.findFirst({
      where: { tenantId, phoneNumber: e164, OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] },
      select: { phoneNumber: true },
    });
    return entry !== null;
  }

  /** In `tx`, so that the change's event commits with it. */
  async upsert(tx: ProactiveDeliveryTx, tenantId: string, input: DoNotCallEntryInput, now: Date): Promise<UpsertedEntry> {
    const [row] = await tx.$queryRawUnsafe<UpsertedEntryRow[]>(SINGLE_UPSERT_SQL, ...upsertParameters(tenantId, [input], now));
    if (!row) throw new Error(`Upserting ${input.phoneNumber} returned no row`);
    return {
      entry: { phoneNumber: row.phone_number, reason: row.reason, expiresAt: row.expires_at, createdAt: row.created_at },
      wasListed: row.was_active,
    };
  }

  /**
   * All entries or none, in one transaction; counts the entries stored and those that were listed before.
   * `afterBatch` runs in that transaction after each batch (the batch's events).
   */
  async upsertAll(
    tenantId: string,
    entries: readonly DoNotCallEntryInput[],
    now: Date,
    afterBatch: (tx: ProactiveDeliveryTx, batch: readonly DoNotCallEntryInput[]) => Promise<void>,
  ): Promise<{ total: number; wereListed: number }> {
    // One lock order for every import, so two overlapping imports cannot deadlock.
    const sorted = [...entries].sort((a, b) => (a.phoneNumber < b.phoneNumber ? -1 : a.phoneNumber > b.phoneNumber ? 1 : 0));
    return this.database.transaction(
      async (tx) => {
        const result = { total: 0, wereListed: 0 };
        for (let start = 0; start < sorted.length; start += IMPORT_BATCH_ROWS) {
          const batch = sorted.slice(start, start + IMPORT_BATCH_ROWS);
          const [counts] = await tx.$queryRawUnsafe<{ total: number; updated: number }[]>(IMPORT_UPSERT_SQL, ...upsertParameters(tenantId, batch, now));
          result.total += counts?.total ?? 0;
          result.wereListed += counts?.updated ?? 0;
          await afterBatch(tx, batch);
        }
        return result;
      },
      { timeout: IMPORT_TRANSACTION_TIMEOUT_MS },
    );
  }

  /** A customer's opt-out keyword (messaging.consent.v1), in the consumer's transaction. */
  async listByConsent(tx: ProactiveDeliveryTx, tenantId: string, e164: string, reason: string, at: Date): Promise<void> {
    await tx.$executeRawUnsafe(CONSENT_LIST_SQL, tenantId, e164, reason, at.toISOString());
  }

  /** A customer's opt-in removes what an opt-out listed, unless that opt-out came later; an administrator's entry stays. */
  async unlistByConsent(tx: ProactiveDeliveryTx, tenantId: string, e164: string, at: Date): Promise<void> {
    await tx.doNotCallEntry.deleteMany({ where: { tenantId, phoneNumber: e164, source: CONSENT_SOURCE, createdAt: { lte: at } } });
  }

  find(tenantId: string, e164: string): Promise<DoNotCallEntry | null> {
    return this.database.doNotCallEntry.findUnique({ where: { tenantId_phoneNumber: { tenantId, phoneNumber: e164 } } });
  }

  /** The removed entry's source (null: an administrator's), or undefined when there was no entry. */
  async delete(tx: ProactiveDeliveryTx, tenantId: string, e164: string): Promise<{ source: string | null } | undefined> {
    const [removed] = await tx.$queryRawUnsafe<{ source: string | null }[]>(`DELETE FROM ${Tables.doNotCallEntry} WHERE tenant_id = $1 AND phone_number = $2 RETURNING source`, tenantId, e164);
    return removed;
  }

  /** One keyset page in phone-number order: `limit` rows, and whether more follow. */
  async page(tenantId: string, query: DoNotCallListQuery, now: Date): Promise<{ rows: DoNotCallEntry[]; more: boolean }> {
    const rows = await this.database.doNotCallEntry.findMany({
      where: {
        tenantId,
        ...(query.after !== null && { phoneNumber: { gt: query.after } }),
        ...(!query.includeExpired && { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }),
      },
      orderBy: { phoneNumber: 'asc' },
      take: query.limit + 1,
    });
    return { rows: rows.slice(0, query.limit), more: rows.length > query.limit };
  }
}

function upsertParameters(tenantId: string, entries: readonly DoNotCallEntryInput[], now: Date): unknown[] {
  return [
    tenantId,
    entries.map((entry) => entry.phoneNumber),
    entries.map((entry) => entry.reason),
    entries.map((entry) => entry.expiresAt?.toISOString() ?? null),
    now.toISOString(),
  ];
}
