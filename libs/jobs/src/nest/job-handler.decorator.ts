import { SetMetadata } from '@nestjs/common';
import type { JobQueue } from '../job-queue';
import type { Job, JobCompletion, JobRetryPolicy } from '../job';

export const JOB_HANDLER_METADATA = 'switchboard:job-handler';

export interface JobHandlerOptions {
  /** When a failed try is tried again (defaultJobRetryPolicy when not given). */
  retry?: JobRetryPolicy;
  /** Jobs of the queue this replica runs at once. Default 4. */
  concurrency?: number;
  /** How long a claimed job is this replica's; renewed while the handler runs. Default 60 s. */
  leaseMs?: number;
}

export interface JobHandlerMetadata {
  queue: JobQueue<unknown>;
  options: JobHandlerOptions;
}

/**
 * Marks the method that runs the jobs of `queue`, on any provider; found at start-up. A job runs at
 * least once (a crash after its effects and before it is marked done runs it again), so handlers are
 * idempotent. Throw RetryJobLater or JobFailedPermanently to steer retries. The method's second argument
 * (JobCompletion) lets it record its success in its own transaction.
 */
export function JobHandler<P>(queue: JobQueue<P>, options: JobHandlerOptions = {}) {
  return <M extends (job: Job<P>, completion: JobCompletion) => Promise<void>>(target: object, propertyKey: string | symbol, descriptor: TypedPropertyDescriptor<M>): void => {
    SetMetadata<string, JobHandlerMetadata>(JOB_HANDLER_METADATA, { queue: queue as JobQueue<unknown>, options })(target, propertyKey, descriptor);
  };
}
