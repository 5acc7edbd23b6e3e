-- outbox_event and inbox_event: see libs/persistence/src/migrate/platform-migrations.
-- CreateTable
CREATE TABLE "engagement_configuration" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "dialing_mode" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "caller_id_number" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "max_attempts" INTEGER NOT NULL,
    "retry_intervals" JSONB NOT NULL,
    "time_zone" TEXT NOT NULL,
    "contact_hours" JSONB NOT NULL,
    "blackout_dates" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "engagement_configuration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tenant_dialing_settings" (
    "tenant_id" TEXT NOT NULL,
    "frequency_cap_attempts" INTEGER NOT NULL,
    "frequency_cap_period_hours" INTEGER NOT NULL,
    "idempotency_period_seconds" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tenant_dialing_settings_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "proactive_delivery" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "configuration_id" UUID NOT NULL,
    "phone_number" TEXT NOT NULL,
    "phone_region" TEXT,
    "contact_id" TEXT NOT NULL,
    "windows" JSONB NOT NULL,
    "permitted_intervals" JSONB NOT NULL,
    "input_attributes" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_outcome" TEXT,
    "close_reason" TEXT,
    "next_attempt_at" TIMESTAMPTZ(3),
    "lease_owner" TEXT,
    "lease_expires_at" TIMESTAMPTZ(3),
    "idempotency_key" TEXT,
    "request_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "proactive_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery_attempt" (
    "id" UUID NOT NULL,
    "delivery_id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "attempt_number" INTEGER NOT NULL,
    "phone_number" TEXT NOT NULL,
    "dial_requests" INTEGER NOT NULL DEFAULT 0,
    "provider_call_id" TEXT,
    "outcome" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMPTZ(3),

    CONSTRAINT "delivery_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "do_not_call_entry" (
    "tenant_id" TEXT NOT NULL,
    "phone_number" TEXT NOT NULL,
    "reason" TEXT,
    "expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "do_not_call_entry_pkey" PRIMARY KEY ("tenant_id","phone_number")
);

-- CreateIndex
CREATE INDEX "engagement_configuration_tenant_id_name_idx" ON "engagement_configuration"("tenant_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "engagement_configuration_tenant_id_id_key" ON "engagement_configuration"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "proactive_delivery_status_next_attempt_at_idx" ON "proactive_delivery"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "proactive_delivery_status_lease_expires_at_idx" ON "proactive_delivery"("status", "lease_expires_at");

-- CreateIndex
CREATE INDEX "proactive_delivery_tenant_id_contact_id_idx" ON "proactive_delivery"("tenant_id", "contact_id");

-- CreateIndex
CREATE INDEX "proactive_delivery_tenant_id_status_idx" ON "proactive_delivery"("tenant_id", "status");

-- CreateIndex
CREATE INDEX "proactive_delivery_tenant_id_request_hash_created_at_idx" ON "proactive_delivery"("tenant_id", "request_hash", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "proactive_delivery_tenant_id_idempotency_key_key" ON "proactive_delivery"("tenant_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "delivery_attempt_tenant_id_phone_number_started_at_idx" ON "delivery_attempt"("tenant_id", "phone_number", "started_at");

-- CreateIndex
CREATE UNIQUE INDEX "delivery_attempt_delivery_id_attempt_number_key" ON "delivery_attempt"("delivery_id", "attempt_number");

-- AddForeignKey
ALTER TABLE "proactive_delivery" ADD CONSTRAINT "proactive_delivery_tenant_id_configuration_id_fkey" FOREIGN KEY ("tenant_id", "configuration_id") REFERENCES "engagement_configuration"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery_attempt" ADD CONSTRAINT "delivery_attempt_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "proactive_delivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;
