-- CreateTable
CREATE TABLE "voice_do_not_call" (
    "tenant_id" TEXT NOT NULL,
    "phone_number" TEXT NOT NULL,
    "reason" TEXT,
    "expires_at" TIMESTAMPTZ(3),
    "listed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "voice_do_not_call_pkey" PRIMARY KEY ("tenant_id","phone_number")
);
