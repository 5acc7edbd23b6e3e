-- Tells the outbox relays of this schema, at commit, that new rows are waiting (NOTIFY is delivered on
-- commit, once per transaction and channel): a relay wakes at once whichever process or replica wrote
-- them, instead of at its next poll. Statement-level, so one notification however many rows.
CREATE OR REPLACE FUNCTION "outbox_event_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox_' || TG_TABLE_SCHEMA, '');
  RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS "outbox_event_notify" ON "outbox_event";
CREATE TRIGGER "outbox_event_notify" AFTER INSERT ON "outbox_event" FOR EACH STATEMENT EXECUTE FUNCTION "outbox_event_notify"();
