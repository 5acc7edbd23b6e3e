import { qualifiedTable, SqlExecutor } from '@switchboard/persistence';
import type { JobQueue } from './job-queue';
import type { Job, JobRecord, JobRequest, JobStatus } from './job';

/** Longest error text kept on a job: enough to act on, never a whole response body. */
export const MAX_JOB_ERROR_LENGTH = 2_000;

interface JobRow {
  queue: string;
  key: string;
  tenant_id: string | null;
  payload: unknown;
  status: JobStatus;
  run_at: Date;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

export interface JobListFilter {
  tenantId?: string;
  status?: JobStatus;
  keyPrefix?: string;
  limit?: number;
}

export interface Lease {
  owner: string;
  expiresAt: Date;
}

/** The SQL of the `job` table of one service schema; every method runs on the executor it is given. */
export class JobStore {
  private readonly table: string;

  constructor(schema: string) {
    this.table = qualifiedTable(schema, 'job');
  }

  /** Inserts the jobs not scheduled yet (by queue and key); returns how many were new. */
  async insert<P>(tx: SqlExecutor, queue: JobQueue<P>, requests: JobRequest<P>[], now: Date): Promise<number> {
    if (requests.length === 0) return 0;
    const payloads = requests.map((request) => JSON.stringify(queue.payload.parse(request.payload)));
    return tx.$executeRawUnsafe(
      `INSERT INTO ${this.table} (queue, key, tenant_id, payload, run_at, created_at, updated_at)
       SELECT $1, job.key, job.tenant_id, job.payload, job.run_at, $2, $2
       FROM unnest($3::text[], $4::uuid[], $5::jsonb[], $6::timestamptz[]) AS job(key, tenant_id, payload, run_at)
       ON CONFLICT (queue, key) DO NOTHING`,
      queue.name,
      now,
      requests.map((request) => request.key),
      requests.map((request) => request.tenantId ?? null),
      payloads,
      requests.map((request) => request.runAt),
    );
  }

  /**
   * Takes up to `limit` due jobs of `queue` (pending and due, or running with an expired lease) under
   * `lease`, counting the try. SKIP LOCKED: two replicas never take the same job.
   */
  async claim(db: SqlExecutor, queue: string, now: Date, limit: number, lease: Lease): Promise<Job<unknown>[]> {
    const rows = await db.$queryRawUnsafe<JobRow[]>(
      `WITH due AS (
         SELECT queue, key FROM ${this.table}
         WHERE queue = $1 AND ((status = 'pending' AND run_at <= $2) OR (status = 'running' AND lease_expires_at <= $2))
         ORDER BY run_at
         LIMIT $3
         FOR UPDATE SKIP LOCKED)
       UPDATE ${this.table} AS job
       SET status = 'running', attempts = job.attempts + 1, lease_owner = $4, lease_expires_at = $5, updated_at = $2
       FROM due WHERE job.queue = due.queue AND job.key = due.key
       RETURNING job.*`,
      queue,
      now,
      limit,
      lease.owner,
      lease.expiresAt,
    );
    return rows.map(toJob);
  }

  /** Extends the leases `owner` holds on these jobs of `queue`, while their handlers still run. */
  async renewLeases(db: SqlExecutor, queue: string, keys: string[], lease: Lease): Promise<void> {
    if (keys.length === 0) return;
    await db.$executeRawUnsafe(
      `UPDATE ${this.table} SET lease_expires_at = $3
       WHERE queue = $1 AND key = ANY($2::text[]) AND status = 'running' AND lease_owner = $4`,
      queue,
      keys,
      lease.expiresAt,
      lease.owner,
    );
  }

  /** Records a try's end, if `owner` still holds the job (a lease that ran out lost it to another replica). */
  async finishTry(
    db: SqlExecutor,
    job: Pick<Job<unknown>, 'queue' | 'key' | 'attempts'>,
    owner: string,
    outcome: { status: JobStatus; runAt: Date; error: string | null },
    now: Date,
  ): Promise<boolean> {
    const done = outcome.status === 'succeeded' || outcome.status === 'failed';
    const updated = await db.$executeRawUnsafe(
      `UPDATE ${this.table}
       SET status = $4, run_at = $5, last_error = $6, finished_at = $7, updated_at = $8, lease_owner = NULL, lease_expires_at = NULL
       WHERE queue = $1 AND key = $2 AND attempts = $3 AND status = 'running' AND lease_owner = $9`,
      job.queue,
      job.key,
      job.attempts,
      outcome.status,
      outcome.runAt,
      outcome.error === null ? null : outcome.error.slice(0, MAX_JOB_ERROR_LENGTH),
      done ? now : null,
      now,
      owner,
    );
    return updated === 1;
  }

  async find(db: SqlExecutor, queue: string, key: string): Promise<JobRecord<unknown> | undefined> {
    const rows = await db.$queryRawUnsafe<JobRow[]>(`SELECT * FROM ${this.table} WHERE queue = $1 AND key = $2`, queue, key);
    return rows[0] && toRecord(rows[0]);
  }

  /** A queue's jobs, newest first, narrowed by tenant, status and key prefix. */
  async list(db: SqlExecutor, queue: string, filter: JobListFilter): Promise<JobRecord<unknown>[]> {
    const rows = await db.$queryRawUnsafe<JobRow[]>(
      `SELECT * FROM ${this.table}
       WHERE queue = $1 AND ($2::uuid IS NULL OR tenant_id = $2::uuid) AND ($3::text IS NULL OR status = $3)
         AND ($4::text IS NULL OR starts_with(key, $4))
       ORDER BY created_at DESC, key
       LIMIT $5`,
      queue,
      filter.tenantId ?? null,
      filter.status ?? null,
      filter.keyPrefix ?? null,
      filter.limit ?? 100,
    );
    return rows.map(toRecord);
  }

  /** A failed job, due again now with a fresh count of tries; false when there is no failed job by that key. */
  async retryFailed(db: SqlExecutor, queue: string, key: string, now: Date): Promise<boolean> {
    const updated = await db.$executeRawUnsafe(
      `UPDATE ${this.table} SET status = 'pending', attempts = 0, run_at = $3, finished_at = NULL, updated_at = $3
       WHERE queue = $1 AND key = $2 AND status = 'failed'`,
      queue,
      key,
      now,
    );
    return updated === 1;
  }
}

function toJob(row: JobRow): Job<unknown> {
  return {
    queue: row.queue,
    key: row.key,
    tenantId: row.tenant_id,
    payload: row.payload,
    attempts: row.attempts,
    runAt: row.run_at,
    createdAt: row.created_at,
    lastError: row.last_error,
  };
}

function toRecord(row: JobRow): JobRecord<unknown> {
  return { ...toJob(row), status: row.status, updatedAt: row.updated_at, finishedAt: row.finished_at };
}
