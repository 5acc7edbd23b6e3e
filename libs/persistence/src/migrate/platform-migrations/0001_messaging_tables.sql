-- The transactional outbox and the consumer inbox of libs/messaging (P3.3), in every service schema.
-- Until this step existed each service's init migration created them, so IF NOT EXISTS adopts those
-- tables unchanged (same columns, same constraint and index names) on databases migrated before.

-- Written in the same transaction as the state change, relayed to Kafka in `seq` order.
CREATE TABLE IF NOT EXISTS "outbox_event" (
    "seq" BIGSERIAL NOT NULL,
    "id" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "envelope" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,

    CONSTRAINT "outbox_event_pkey" PRIMARY KEY ("seq")
);
CREATE UNIQUE INDEX IF NOT EXISTS "outbox_event_id_key" ON "outbox_event"("id");
CREATE INDEX IF NOT EXISTS "outbox_event_published_at_seq_idx" ON "outbox_event"("published_at", "seq");

-- Ids of consumed events, written in the same transaction as the handler's effects.
CREATE TABLE IF NOT EXISTS "inbox_event" (
    "consumer_group" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_event_pkey" PRIMARY KEY ("consumer_group","event_id")
);
