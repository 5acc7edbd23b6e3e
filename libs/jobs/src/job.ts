import type { SqlExecutor } from '@switchboard/persistence';

export const JobStatuses = ['pending', 'running', 'succeeded', 'failed'] as const;
export type JobStatus = (typeof JobStatuses)[number];

/** A job to schedule: unique by (queue, key), so scheduling the same key again changes nothing. */
export interface JobRequest<P> {
  key: string;
  tenantId?: string;
  payload: P;
  /** When it becomes due (the injected Clock's time). */
  runAt: Date;
}

/** A job as its handler gets it. */
export interface Job<P> {
  queue: string;
  key: string;
  tenantId: string | null;
  payload: P;
  /** Tries so far, this one included. */
  attempts: number;
  runAt: Date;
  createdAt: Date;
  /** Why the previous try failed, when one did. */
  lastError: string | null;
}

/**
 * Given to a handler with its job: the try's success can be recorded in the handler's own transaction, so that
 * its effects and the job's end commit together (one statement and one commit per job fewer than the runner
 * recording it afterwards). Optional: a handler that never calls it has its try recorded by the runner.
 */
export interface JobCompletion {
  /**
   * Marks this try succeeded inside `tx`, as the handler's last statement before its commit; once the handler
   * returns, the runner records nothing more. False when this replica lost the job's lease (the runner then
   * reports it, as it would have). If the transaction rolls back, the handler's error is recorded as usual.
   */
  succeedWithin(tx: SqlExecutor): Promise<boolean>;
}

/** A job as the APIs show it. */
export interface JobRecord<P> extends Job<P> {
  status: JobStatus;
  updatedAt: Date;
  finishedAt: Date | null;
}

/** When a failed try is tried again; the first retry waits `initialDelayMs`, each next one `multiplier` times longer. */
export interface JobRetryPolicy {
  /** Tries in all, the first included. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** Default 2. */
  multiplier?: number;
  /** No retry is scheduled later than this long after the job was created. */
  giveUpAfterMs?: number;
}

export const defaultJobRetryPolicy: JobRetryPolicy = { maxAttempts: 5, initialDelayMs: 1_000, maxDelayMs: 60_000 };

/** Delay before try `attempt + 1`, after try `attempt` failed. */
export function jobRetryDelayMs(policy: JobRetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * (policy.multiplier ?? 2) ** Math.max(0, attempt - 1));
}

/** Thrown by a handler: try again, after `delayMs` when given (a Retry-After), else per the queue's policy. */
export class RetryJobLater extends Error {
  constructor(
    message: string,
    readonly delayMs?: number,
  ) {
    super(message);
    this.name = 'RetryJobLater';
  }
}

/** Thrown by a handler: the job cannot succeed; it fails now, without retries. */
export class JobFailedPermanently extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobFailedPermanently';
  }
}

export interface FailedTry {
  status: 'pending' | 'failed';
  runAt: Date;
}

/**
 * What follows a failed try: another try at a later time, or the failed state. Retries stop at
 * `maxAttempts` tries and never go beyond `giveUpAfterMs` from the job's creation.
 */
export function afterFailedTry(policy: JobRetryPolicy, job: Pick<Job<unknown>, 'attempts' | 'createdAt'>, error: unknown, now: Date): FailedTry {
  if (error instanceof JobFailedPermanently || job.attempts >= policy.maxAttempts) return { status: 'failed', runAt: now };
  const delayMs = error instanceof RetryJobLater && error.delayMs !== undefined ? error.delayMs : jobRetryDelayMs(policy, job.attempts);
  const runAt = new Date(now.getTime() + Math.max(0, delayMs));
  if (policy.giveUpAfterMs !== undefined && runAt.getTime() > job.createdAt.getTime() + policy.giveUpAfterMs) return { status: 'failed', runAt: now };
  return { status: 'pending', runAt };
}
