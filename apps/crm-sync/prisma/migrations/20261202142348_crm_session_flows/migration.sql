-- CreateTable
CREATE TABLE "crm_session_flow" (
    "tenant_id" UUID NOT NULL,
    "session_id" TEXT NOT NULL,
    "values" JSONB NOT NULL,
    "channel" TEXT,
    "session_type" TEXT,
    "queue_id" TEXT,
    "agent_id" TEXT,
    "popped_agent_ids" TEXT[],
    "account_id" TEXT,
    "temporary_account_id" TEXT,
    "record_id" TEXT,
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "outcome" TEXT,
    "pii_pop_event_ids" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "crm_session_flow_pkey" PRIMARY KEY ("tenant_id","session_id")
);

-- CreateTable
CREATE TABLE "crm_call" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" UUID NOT NULL,
    "session_id" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "endpoint" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "http_status" INTEGER,
    "error" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "crm_call_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "crm_flow_settings" (
    "tenant_id" UUID NOT NULL,
    "retry_policy" TEXT NOT NULL,
    "delay_record_until_agent_assigned" BOOLEAN NOT NULL,
    "records" JSONB NOT NULL,
    "lookup_urls" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "crm_flow_settings_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateIndex
CREATE INDEX "crm_call_tenant_id_session_id_id_idx" ON "crm_call"("tenant_id", "session_id", "id");
