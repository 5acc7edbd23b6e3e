-- Adapter events from every ingress (EB1.1, EB1.3, EB1.4, EB2.2): what each event was keyed by, who sent it and how.
-- AlterTable
ALTER TABLE "adapter_event" ADD COLUMN     "agent_id" TEXT,
ADD COLUMN     "custom_data_verified" BOOLEAN,
ADD COLUMN     "ingress" TEXT NOT NULL DEFAULT 'signed',
ADD COLUMN     "sender_event_id" TEXT,
ADD COLUMN     "session_kind" TEXT,
ADD COLUMN     "session_type" TEXT;

-- The key each tenant's server signs custom_data_secured with (EB1.3), sealed like the ingress secret (P2.4).
-- CreateTable
CREATE TABLE "custom_data_key" (
    "tenant_id" TEXT NOT NULL,
    "key_ciphertext" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "custom_data_key_pkey" PRIMARY KEY ("tenant_id")
);
