import type { DoNotCallEntryInput } from './do-not-call-entry.schema';

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
  FROM do_not_call_entry existing JOIN incoming USING (phone_number)
  WHERE existing.tenant_id = $1 AND (existing.expires_at IS NULL OR existing.expires_at > $5::timestamptz)
),
upserted AS (
  INSERT INTO do_not_call_entry AS entry (tenant_id, phone_number, reason, expires_at, created_at)
  SELECT $1, phone_number, reason, expires_at, $5::timestamptz FROM incoming
  ON CONFLICT (tenant_id, phone_number) DO UPDATE
    SET reason = EXCLUDED.reason,
        expires_at = EXCLUDED.expires_at,
        -- Listing a number whose entry had expired is a new listing.
        created_at = CASE WHEN entry.expires_at IS NOT NULL AND entry.expires_at <= $5::timestamptz
                          THEN EXCLUDED.created_at ELSE entry.created_at END
  RETURNING entry.phone_number, entry.reason, entry.expires_at, entry.created_at
)`;

export const SINGLE_UPSERT_SQL = `${UPSERT_CTE}
SELECT upserted.*, EXISTS (SELECT 1 FROM active_before WHERE active_before.phone_number = upserted.phone_number) AS was_active
FROM upserted`;

export const IMPORT_UPSERT_SQL = `${UPSERT_CTE}
SELECT (SELECT count(*) FROM upserted)::int AS total, (SELECT count(*) FROM active_before)::int AS updated`;

export interface UpsertedEntryRow {
  phone_number: string;
  reason: string | null;
  expires_at: Date | null;
  created_at: Date;
  was_active: boolean;
}

export function upsertParameters(tenantId: string, entries: readonly DoNotCallEntryInput[], now: Date): unknown[] {
  return [
    tenantId,
    entries.map((entry) => entry.phoneNumber),
    entries.map((entry) => entry.reason),
    entries.map((entry) => entry.expiresAt?.toISOString() ?? null),
    now.toISOString(),
  ];
}
