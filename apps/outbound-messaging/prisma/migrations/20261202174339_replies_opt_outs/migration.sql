-- CreateTable
CREATE TABLE "inbound_message" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "channel_id" UUID NOT NULL,
    "channel_type" TEXT NOT NULL,
    "provider_message_id" TEXT NOT NULL,
    "from_number" TEXT NOT NULL,
    "to_sender" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "in_reply_to" UUID,
    "keyword_action" TEXT,
    "keyword" TEXT,
    "received_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "inbound_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "opt_out" (
    "tenant_id" TEXT NOT NULL,
    "phone_number" TEXT NOT NULL,
    "keyword" TEXT NOT NULL,
    "inbound_message_id" UUID NOT NULL,
    "opted_out_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "opt_out_pkey" PRIMARY KEY ("tenant_id","phone_number")
);

-- CreateIndex
CREATE INDEX "inbound_message_tenant_id_from_number_received_at_idx" ON "inbound_message"("tenant_id", "from_number", "received_at");

-- CreateIndex
CREATE UNIQUE INDEX "inbound_message_channel_id_provider_message_id_key" ON "inbound_message"("channel_id", "provider_message_id");
