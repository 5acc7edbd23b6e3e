-- CreateTable
CREATE TABLE "dynamics_settings" (
    "tenant_id" TEXT NOT NULL,
    "organization_url" TEXT NOT NULL,
    "authority_url" TEXT NOT NULL,
    "entra_tenant_id" TEXT NOT NULL,
    "client_id" TEXT NOT NULL,
    "client_secret_sealed" TEXT NOT NULL,
    "answer_budget_ms" INTEGER NOT NULL,
    "agent_queue" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dynamics_settings_pkey" PRIMARY KEY ("tenant_id")
);
