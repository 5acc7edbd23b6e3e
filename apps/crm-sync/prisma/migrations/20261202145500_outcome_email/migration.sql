-- CreateTable
CREATE TABLE "outcome_email_settings" (
    "tenant_id" TEXT NOT NULL,
    "global_enabled" BOOLEAN NOT NULL,
    "global_address" TEXT,
    "queues" JSONB NOT NULL,
    "subject" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outcome_email_settings_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "outcome_email" (
    "tenant_id" TEXT NOT NULL,
    "session_id" TEXT NOT NULL,
    "metadata" JSONB NOT NULL,
    "version" INTEGER NOT NULL,
    "transcripts" JSONB NOT NULL,
    "recipient" TEXT NOT NULL,
    "sent_at" TIMESTAMPTZ(3),
    "message_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outcome_email_pkey" PRIMARY KEY ("tenant_id","session_id")
);
