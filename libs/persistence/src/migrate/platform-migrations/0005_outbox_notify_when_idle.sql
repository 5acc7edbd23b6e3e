-- Commits notify only while the relay is idle. Postgres serialises the commits of all transactions that
-- NOTIFY (a cluster-wide lock held through the commit), which under load costs concurrent writers their
-- group commit (measured: the create benchmark lost ~20 % of its throughput); a busy relay needs no
-- wake-up anyway, as its next round follows the last. The relay holding the outbox lock keeps `idle` true
-- after a round that found nothing and false after one that found rows.
-- One row, the one WHERE "singleton" (no CHECK constraint: Prisma's schema engine fails on this table's).
CREATE TABLE IF NOT EXISTS "outbox_relay_state" (
  "singleton" boolean PRIMARY KEY DEFAULT true,
  "idle" boolean NOT NULL DEFAULT true
);
INSERT INTO "outbox_relay_state" DEFAULT VALUES ON CONFLICT DO NOTHING;

-- SET search_path FROM CURRENT: the function reads this schema's state whichever search_path the writer has.
CREATE OR REPLACE FUNCTION "outbox_event_notify"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF (SELECT "idle" FROM "outbox_relay_state" WHERE "singleton") THEN
    PERFORM pg_notify('outbox_' || TG_TABLE_SCHEMA, '');
  END IF;
  RETURN NULL;
END
$$;
