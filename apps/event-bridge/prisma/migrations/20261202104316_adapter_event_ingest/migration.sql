-- Adapter events from every ingress (EB1.1, EB1.3, EB1.4, EB2.2): what each event was keyed by, who sent it and how.
-- AlterTable
ALTER TABLE "adapter_event" ADD COLUMN     "agent_id" TEXT,
ADD COLUMN     "custom_data_verified" BOOLEAN,
ADD COLUMN     "ingress" TEXT NOT NULL DEFAULT 'signed',
ADD COLUMN     "sender_event_id" TEXT,
ADD COLUMN     "session_kind" TEXT,
ADD COLUMN     "session_type" TEXT;

-- One table for every per-tenant secret (P2.4): the ingress HMAC secret (P1.4) and the custom-data key (EB1.3).
-- CreateTable
CREATE TABLE "tenant_secret" (
    "tenant_id" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "ciphertext" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tenant_secret_pkey" PRIMARY KEY ("tenant_id","purpose")
);

-- The ingress secrets set so far move over, still sealed (same key, same format).
INSERT INTO "tenant_secret" ("tenant_id", "purpose", "ciphertext", "updated_at")
SELECT "tenant_id", 'ingress-hmac', "secret_ciphertext", "updated_at" FROM "ingress_secret";

-- DropTable
DROP TABLE "ingress_secret";
