-- CreateTable
CREATE TABLE "crm_file_upload" (
    "tenant_id" UUID NOT NULL,
    "session_id" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "file_kind" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "download_url" TEXT,
    "download_until" TIMESTAMPTZ(3),
    "storage_url" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attachment_id" TEXT,
    "attachment_url" TEXT,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uploaded_at" TIMESTAMPTZ(3),

    CONSTRAINT "crm_file_upload_pkey" PRIMARY KEY ("tenant_id","session_id","file_name")
);
