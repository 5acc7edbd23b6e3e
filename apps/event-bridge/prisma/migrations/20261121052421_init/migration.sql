-- outbox_event and inbox_event: see libs/persistence/src/migrate/platform-migrations.
-- CreateTable
CREATE TABLE "ingress_secret" (
    "tenant_id" TEXT NOT NULL,
    "secret_ciphertext" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ingress_secret_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "adapter_event" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "adapter_event_type" TEXT NOT NULL,
    "session_id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "adapter_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "adapter_event_tenant_id_session_id_idx" ON "adapter_event"("tenant_id", "session_id");

-- CreateIndex
CREATE UNIQUE INDEX "adapter_event_tenant_id_dedupe_key_key" ON "adapter_event"("tenant_id", "dedupe_key");
