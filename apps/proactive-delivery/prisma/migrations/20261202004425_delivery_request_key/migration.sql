-- The create API's idempotency (PD1.5) moves from an advisory lock plus a lookup on proactive_delivery to a
-- primary key that concurrent twins meet on (INSERT … ON CONFLICT); the lookup's index goes.

-- DropIndex
DROP INDEX "proactive_delivery_tenant_id_request_hash_created_at_idx";

-- CreateTable
CREATE TABLE "delivery_request_key" (
    "tenant_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "delivery_id" UUID NOT NULL,
    "claimed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "delivery_request_key_pkey" PRIMARY KEY ("tenant_id","kind","key")
);

-- Existing deliveries keep answering their repeats: each Idempotency-Key, and per fingerprint the latest
-- keyless delivery (its period counts from when it was created).
INSERT INTO "delivery_request_key" ("tenant_id", "kind", "key", "request_hash", "delivery_id", "claimed_at")
SELECT "tenant_id", 'idempotency_key', "idempotency_key", "request_hash", "id", "created_at"
  FROM "proactive_delivery" WHERE "idempotency_key" IS NOT NULL;
INSERT INTO "delivery_request_key" ("tenant_id", "kind", "key", "request_hash", "delivery_id", "claimed_at")
SELECT DISTINCT ON ("tenant_id", "request_hash") "tenant_id", 'request_fingerprint', "request_hash", "request_hash", "id", "created_at"
  FROM "proactive_delivery" WHERE "idempotency_key" IS NULL
 ORDER BY "tenant_id", "request_hash", "created_at" DESC;

-- AddForeignKey
ALTER TABLE "delivery_request_key" ADD CONSTRAINT "delivery_request_key_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "proactive_delivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;
