-- CreateTable
CREATE TABLE "storage_settings" (
    "tenant_id" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "file_kinds" TEXT[],
    "folder_path" TEXT NOT NULL,
    "also_send_to_crm" BOOLEAN NOT NULL,
    "url_source" TEXT NOT NULL,
    "backend" TEXT NOT NULL,
    "destination" JSONB NOT NULL,
    "secrets_sealed" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "storage_settings_pkey" PRIMARY KEY ("tenant_id")
);
