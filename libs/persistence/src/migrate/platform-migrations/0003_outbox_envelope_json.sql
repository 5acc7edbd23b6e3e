-- The envelope is written once and read back as text by the relay: `json` keeps the text as written
-- (still checked to be JSON) and skips jsonb's decomposition on write and re-serialisation on read,
-- about 40 % of the column's Postgres cost (npm run bench:consumer). `->>` works on json alike.
ALTER TABLE "outbox_event" ALTER COLUMN "envelope" TYPE JSON USING "envelope"::json;
