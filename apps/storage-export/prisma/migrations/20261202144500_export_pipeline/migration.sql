-- CreateTable
CREATE TABLE "export_file" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "session_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "source_kind" TEXT NOT NULL,
    "source_url" TEXT,
    "upload_id" UUID,
    "document" JSONB,
    "document_version" INTEGER,
    "status" TEXT NOT NULL,
    "generation" INTEGER NOT NULL DEFAULT 1,
    "job_key" TEXT NOT NULL,
    "size" BIGINT,
    "sha256" TEXT,
    "md5" TEXT,
    "storage_url" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error_kind" TEXT,
    "last_error" TEXT,
    "exported_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "export_file_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "staged_upload" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "session_id" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "size" BIGINT NOT NULL DEFAULT 0,
    "sha256" TEXT,
    "md5" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "staged_upload_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "staged_upload_chunk" (
    "upload_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "staged_upload_chunk_pkey" PRIMARY KEY ("upload_id","seq")
);

-- CreateIndex
CREATE INDEX "export_file_tenant_id_session_id_idx" ON "export_file"("tenant_id", "session_id");

-- CreateIndex
CREATE UNIQUE INDEX "export_file_tenant_id_path_key" ON "export_file"("tenant_id", "path");

-- CreateIndex
CREATE INDEX "staged_upload_state_created_at_idx" ON "staged_upload"("state", "created_at");

-- AddForeignKey
ALTER TABLE "staged_upload_chunk" ADD CONSTRAINT "staged_upload_chunk_upload_id_fkey" FOREIGN KEY ("upload_id") REFERENCES "staged_upload"("id") ON DELETE CASCADE ON UPDATE CASCADE;
