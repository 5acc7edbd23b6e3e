-- outbox_event and inbox_event: see libs/persistence/src/migrate/platform-migrations.
-- CreateTable
CREATE TABLE "agent_event_log" (
    "event_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "adapter_event_type" TEXT NOT NULL,
    "session_id" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "consumed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_event_log_pkey" PRIMARY KEY ("event_id")
);

-- CreateIndex
CREATE INDEX "agent_event_log_tenant_id_session_id_idx" ON "agent_event_log"("tenant_id", "session_id");
