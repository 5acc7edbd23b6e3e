-- CreateTable
CREATE TABLE "crm_webhook_secret" (
    "tenant_id" TEXT NOT NULL,
    "secret_sealed" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "crm_webhook_secret_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "crm_case_event" (
    "tenant_id" TEXT NOT NULL,
    "crm_event_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "case_id" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "crm_case_event_pkey" PRIMARY KEY ("tenant_id","crm_event_id")
);
