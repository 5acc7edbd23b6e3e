-- CreateTable
CREATE TABLE "custom_crm_settings" (
    "tenant_id" TEXT NOT NULL,
    "auth" JSONB NOT NULL,
    "auth_secret_sealed" TEXT,
    "phone_format" TEXT NOT NULL,
    "request_timeout_seconds" INTEGER NOT NULL,
    "account_lookup_url" TEXT,
    "record_lookup_url" TEXT,
    "reuse_existing_records" BOOLEAN NOT NULL,
    "endpoints" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "custom_crm_settings_pkey" PRIMARY KEY ("tenant_id")
);
