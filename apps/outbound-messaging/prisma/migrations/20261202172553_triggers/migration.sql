-- CreateTable
CREATE TABLE "automated_rule" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "topic" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "conditions" JSONB NOT NULL,
    "configuration_id" UUID NOT NULL,
    "contact_fields" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "automated_rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rule_firing" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "rule_id" UUID NOT NULL,
    "event_id" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT,
    "message_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "rule_firing_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "send_schedule" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "configuration_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "cron" TEXT,
    "time_zone" TEXT NOT NULL,
    "contacts" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "next_run_at" TIMESTAMPTZ(3),
    "last_run_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "send_schedule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "schedule_run" (
    "tenant_id" TEXT NOT NULL,
    "schedule_id" UUID NOT NULL,
    "occurrence" TIMESTAMPTZ(3) NOT NULL,
    "request_id" UUID NOT NULL,
    "accepted" INTEGER NOT NULL,
    "skipped" INTEGER NOT NULL,
    "rejected" INTEGER NOT NULL,
    "results" JSONB NOT NULL,
    "fired_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "schedule_run_pkey" PRIMARY KEY ("schedule_id","occurrence")
);

-- CreateIndex
CREATE INDEX "automated_rule_tenant_id_topic_event_type_idx" ON "automated_rule"("tenant_id", "topic", "event_type");

-- CreateIndex
CREATE INDEX "automated_rule_tenant_id_configuration_id_idx" ON "automated_rule"("tenant_id", "configuration_id");

-- CreateIndex
CREATE UNIQUE INDEX "automated_rule_tenant_id_id_key" ON "automated_rule"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "automated_rule_tenant_id_name_key" ON "automated_rule"("tenant_id", "name");

-- CreateIndex
CREATE INDEX "rule_firing_tenant_id_rule_id_created_at_idx" ON "rule_firing"("tenant_id", "rule_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "rule_firing_rule_id_event_id_key" ON "rule_firing"("rule_id", "event_id");

-- CreateIndex
CREATE INDEX "send_schedule_tenant_id_configuration_id_idx" ON "send_schedule"("tenant_id", "configuration_id");

-- CreateIndex
CREATE UNIQUE INDEX "send_schedule_tenant_id_id_key" ON "send_schedule"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "send_schedule_tenant_id_name_key" ON "send_schedule"("tenant_id", "name");

-- AddForeignKey
ALTER TABLE "automated_rule" ADD CONSTRAINT "automated_rule_tenant_id_configuration_id_fkey" FOREIGN KEY ("tenant_id", "configuration_id") REFERENCES "outbound_configuration"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rule_firing" ADD CONSTRAINT "rule_firing_tenant_id_rule_id_fkey" FOREIGN KEY ("tenant_id", "rule_id") REFERENCES "automated_rule"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "send_schedule" ADD CONSTRAINT "send_schedule_tenant_id_configuration_id_fkey" FOREIGN KEY ("tenant_id", "configuration_id") REFERENCES "outbound_configuration"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_run" ADD CONSTRAINT "schedule_run_tenant_id_schedule_id_fkey" FOREIGN KEY ("tenant_id", "schedule_id") REFERENCES "send_schedule"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
