-- CreateTable
CREATE TABLE "agent_stream_entry" (
    "seq" BIGSERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_stream_entry_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "agent_stream_entry_tenant_id_agent_id_seq_idx" ON "agent_stream_entry"("tenant_id", "agent_id", "seq");

-- CreateIndex
CREATE INDEX "agent_stream_entry_created_at_idx" ON "agent_stream_entry"("created_at");
