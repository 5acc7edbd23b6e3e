-- CreateTable
CREATE TABLE "message_template" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "channel_type" TEXT NOT NULL,
    "default_locale" TEXT NOT NULL,
    "versions" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "message_template_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbound_channel" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "channel_type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "sender" TEXT NOT NULL,
    "sender_type" TEXT NOT NULL,
    "messages_per_second" DOUBLE PRECISION NOT NULL,
    "provider_account" JSONB NOT NULL,
    "credentials_sealed" TEXT,
    "rate_tat" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "outbound_channel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbound_configuration" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "show_in_timeline" BOOLEAN NOT NULL,
    "channel_type" TEXT NOT NULL,
    "channel_id" UUID NOT NULL,
    "template_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "outbound_configuration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbound_message" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "request_id" UUID NOT NULL,
    "contact_index" INTEGER NOT NULL,
    "configuration_id" UUID NOT NULL,
    "channel_id" UUID NOT NULL,
    "channel_type" TEXT NOT NULL,
    "to_number" TEXT NOT NULL,
    "locale" TEXT,
    "body" TEXT,
    "whatsapp_template" JSONB,
    "segments" INTEGER,
    "status" TEXT NOT NULL,
    "status_reason" TEXT,
    "provider_message_id" TEXT,
    "error_code" TEXT,
    "error_message" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "due_at" TIMESTAMPTZ(3),
    "lease_expires_at" TIMESTAMPTZ(3),
    "in_timeline" BOOLEAN NOT NULL,
    "entity_relationship_name" TEXT,
    "customer_name" TEXT NOT NULL,
    "case_name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "sent_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "failed_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "outbound_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invoke_request_count" (
    "tenant_id" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "requests" INTEGER NOT NULL,

    CONSTRAINT "invoke_request_count_pkey" PRIMARY KEY ("tenant_id","window_start")
);

-- CreateIndex
CREATE UNIQUE INDEX "message_template_tenant_id_id_key" ON "message_template"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "message_template_tenant_id_name_key" ON "message_template"("tenant_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "outbound_channel_tenant_id_id_key" ON "outbound_channel"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "outbound_channel_tenant_id_name_key" ON "outbound_channel"("tenant_id", "name");

-- CreateIndex
CREATE INDEX "outbound_configuration_tenant_id_channel_id_idx" ON "outbound_configuration"("tenant_id", "channel_id");

-- CreateIndex
CREATE INDEX "outbound_configuration_tenant_id_template_id_idx" ON "outbound_configuration"("tenant_id", "template_id");

-- CreateIndex
CREATE UNIQUE INDEX "outbound_configuration_tenant_id_id_key" ON "outbound_configuration"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "outbound_configuration_tenant_id_name_key" ON "outbound_configuration"("tenant_id", "name");

-- CreateIndex
CREATE INDEX "outbound_message_status_due_at_idx" ON "outbound_message"("status", "due_at");

-- CreateIndex
CREATE INDEX "outbound_message_status_lease_expires_at_idx" ON "outbound_message"("status", "lease_expires_at");

-- CreateIndex
CREATE INDEX "outbound_message_tenant_id_created_at_idx" ON "outbound_message"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "outbound_message_tenant_id_configuration_id_created_at_idx" ON "outbound_message"("tenant_id", "configuration_id", "created_at");

-- CreateIndex
CREATE INDEX "outbound_message_tenant_id_to_number_created_at_idx" ON "outbound_message"("tenant_id", "to_number", "created_at");

-- CreateIndex
CREATE INDEX "outbound_message_channel_id_provider_message_id_idx" ON "outbound_message"("channel_id", "provider_message_id");

-- AddForeignKey
ALTER TABLE "outbound_configuration" ADD CONSTRAINT "outbound_configuration_tenant_id_channel_id_fkey" FOREIGN KEY ("tenant_id", "channel_id") REFERENCES "outbound_channel"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outbound_configuration" ADD CONSTRAINT "outbound_configuration_tenant_id_template_id_fkey" FOREIGN KEY ("tenant_id", "template_id") REFERENCES "message_template"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
