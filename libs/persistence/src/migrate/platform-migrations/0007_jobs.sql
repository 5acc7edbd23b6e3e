-- Durable jobs of libs/jobs: work done later (a delay) or again (retries), in every service schema.
-- A job is scheduled in the same transaction as the state change that calls for it, claimed with
-- FOR UPDATE SKIP LOCKED under a lease (one replica runs it; an expired lease makes it claimable again),
-- and stays visible after it succeeded or failed. `status` is one of pending, running, succeeded, failed,
-- written only by libs/jobs (no CHECK constraint: Prisma's WASM schema engine aborts on one in an
-- external table when it diffs a service schema).
CREATE TABLE IF NOT EXISTS "job" (
    "queue" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "tenant_id" UUID,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "run_at" TIMESTAMPTZ(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lease_owner" TEXT,
    "lease_expires_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "job_pkey" PRIMARY KEY ("queue", "key")
);
-- What the workers poll: due pending jobs, and running jobs whose lease ran out.
CREATE INDEX IF NOT EXISTS "job_pending_run_at_idx" ON "job" ("queue", "run_at") WHERE "status" = 'pending';
CREATE INDEX IF NOT EXISTS "job_running_lease_idx" ON "job" ("queue", "lease_expires_at") WHERE "status" = 'running';
-- What the APIs list: a tenant's jobs of a queue, newest first.
CREATE INDEX IF NOT EXISTS "job_tenant_queue_created_idx" ON "job" ("tenant_id", "queue", "created_at");
