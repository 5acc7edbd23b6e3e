-- CreateTable
CREATE TABLE "contact_session" (
    "tenant_id" TEXT NOT NULL,
    "session_id" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "document" JSONB NOT NULL,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contact_session_pkey" PRIMARY KEY ("tenant_id","session_id")
);

-- CreateTable
CREATE TABLE "contact_session_event" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "session_id" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "data" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contact_session_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "contact_session_event_tenant_id_session_id_idx" ON "contact_session_event"("tenant_id", "session_id");

-- CreateIndex
CREATE UNIQUE INDEX "contact_session_event_tenant_id_dedupe_key_key" ON "contact_session_event"("tenant_id", "dedupe_key");
