-- Fewer index entries per outbox row (npm run bench:consumer: Postgres was the pipeline's largest CPU share).
-- The relay finds its backlog through a partial index that holds only unpublished rows: the publish mark
-- takes a row out of it, so marking writes one index entry (the primary key's) instead of three.
CREATE INDEX IF NOT EXISTS "outbox_event_unpublished_idx" ON "outbox_event"("seq") WHERE "published_at" IS NULL;
DROP INDEX IF EXISTS "outbox_event_published_at_seq_idx";
-- Event ids are random UUIDs from createCloudEvent, and consumers dedupe by id in their inbox: a unique
-- index here cost an entry on every insert and every publish mark and guarded nothing the generator does not.
DROP INDEX IF EXISTS "outbox_event_id_key";
