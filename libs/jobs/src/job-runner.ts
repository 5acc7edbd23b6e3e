import type { SqlExecutor } from '@switchboard/persistence';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { JobQueue } from './job-queue';
import { afterFailedTry, defaultJobRetryPolicy, Job, JobCompletion, JobFailedPermanently, JobRetryPolicy } from './job';
import { JobStore } from './job-store';
import { PollingLoop } from './polling-loop';

export interface QueueHandler {
  queue: JobQueue<unknown>;
  run: (job: Job<unknown>, completion: JobCompletion) => Promise<void>;
  retry?: JobRetryPolicy;
  concurrency?: number;
  leaseMs?: number;
}

export interface JobRunnerLogger {
  warn(message: object): void;
  error(message: object): void;
}

export interface JobRunnerOptions {
  store: JobStore;
  database: SqlExecutor;
  now: () => Date;
  logger: JobRunnerLogger;
  /** How often due jobs are looked for; 0 runs none in the background (runDueJobs still does). */
  pollIntervalMs: number;
}

interface ActiveQueue {
  handler: QueueHandler;
  retry: JobRetryPolicy;
  concurrency: number;
  leaseMs: number;
  running: Map<string, Promise<void>>;
  /** The claim in flight, if any: one at a time per queue. */
  claiming?: Promise<number>;
}

/** Claims due jobs of the registered queues and runs them, in the background and on demand. */
export class JobRunner {
  private readonly queues = new Map<string, ActiveQueue>();
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly loop: PollingLoop;
  private renewTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: JobRunnerOptions) {
    // Every interval, however many jobs a poll found: a freed slot takes the next job itself (runOne).
    this.loop = new PollingLoop({ name: 'jobs', round: () => this.poll(), idleMs: options.pollIntervalMs, logger: options.logger });
  }

  register(handler: QueueHandler): void {
    if (this.queues.has(handler.queue.name)) throw new Error(`job queue "${handler.queue.name}" has two handlers; give it exactly one`);
    this.queues.set(handler.queue.name, {
      handler,
      retry: handler.retry ?? defaultJobRetryPolicy,
      concurrency: handler.concurrency ?? 4,
      leaseMs: handler.leaseMs ?? 60_000,
      running: new Map(),
    });
  }

  start(): void {
    if (this.options.pollIntervalMs <= 0 || this.queues.size === 0) return;
    this.stopped = false;
    this.loop.start();
    const shortestLease = Math.min(...[...this.queues.values()].map((queue) => queue.leaseMs));
    this.renewTimer = setInterval(() => void this.renewLeases(), Math.max(1_000, shortestLease / 3));
    this.renewTimer.unref();
  }

  /** Stops looking for jobs and waits for the poll in flight and the running jobs to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop.stop();
    clearInterval(this.renewTimer);
    await this.settled();
  }

  /** Runs every job due now (and those they make due now), waiting for all of them; returns how many ran. */
  async runDueJobs(): Promise<number> {
    let ran = 0;
    for (;;) {
      let claimed = 0;
      for (const queue of this.queues.values()) {
        // A claim in flight (the background poll's) puts its jobs among the running ones before it resolves.
        await queue.claiming?.catch(() => 0);
        claimed += await this.claimAndStart(queue);
      }
      const busy = this.runningCount() > 0;
      await this.settled();
      ran += claimed;
      if (claimed === 0 && !busy) return ran;
    }
  }

  /** One round of the background loop: claims for every queue (a queue that fails does not hold up the others). */
  private async poll(): Promise<boolean> {
    for (const queue of this.queues.values()) {
      await this.claimAndStart(queue).catch((error: Error) => this.options.logger.warn({ msg: 'jobs: could not claim due jobs', queue: queue.handler.queue.name, error: error.message }));
    }
    return false;
  }

  /** Fills the queue's free slots with due jobs; returns how many it started (0 while another claim is in flight). */
  private claimAndStart(queue: ActiveQueue): Promise<number> {
    const free = queue.concurrency - queue.running.size;
    if (free <= 0 || queue.claiming) return Promise.resolve(0);
    const claiming = this.claim(queue, free).finally(() => (queue.claiming = undefined));
    queue.claiming = claiming;
    return claiming;
  }

  private async claim(queue: ActiveQueue, free: number): Promise<number> {
    const now = this.options.now();
    const lease = { owner: this.owner, expiresAt: new Date(now.getTime() + queue.leaseMs) };
    const jobs = await this.options.store.claim(this.options.database, queue.handler.queue.name, now, free, lease);
    for (const job of jobs) queue.running.set(job.key, this.runOne(queue, job));
    return jobs.length;
  }

  private async runOne(queue: ActiveQueue, job: Job<unknown>): Promise<void> {
    let recordedWithin = false;
    const completion: JobCompletion = {
      succeedWithin: async (tx) => {
        recordedWithin = await this.options.store.finishTry(tx, job, this.owner, { status: 'succeeded', runAt: job.runAt, error: null }, this.options.now());
        return recordedWithin;
      },
    };
    try {
      const outcome = await this.tryJob(queue, job, completion);
      // The handler's transaction recorded the success with its effects: nothing more to write.
      if (outcome.status === 'succeeded' && recordedWithin) return;
      const recorded = await this.options.store.finishTry(this.options.database, job, this.owner, outcome, this.options.now());
      if (!recorded && !recordedWithin) this.options.logger.warn({ msg: 'jobs: lease lost before the try ended; another replica owns the job', queue: job.queue, key: job.key });
    } catch (error) {
      this.options.logger.error({ msg: 'jobs: could not record the end of a try; the lease will expire and the job run again', queue: job.queue, key: job.key, error: (error as Error).message });
    } finally {
      queue.running.delete(job.key);
      // A slot is free: take the next due job now rather than at the next poll.
      if (!this.stopped && this.options.pollIntervalMs > 0) void this.claimAndStart(queue).catch(() => undefined);
    }
  }

  private async tryJob(queue: ActiveQueue, job: Job<unknown>, completion: JobCompletion): Promise<{ status: 'succeeded' | 'pending' | 'failed'; runAt: Date; error: string | null }> {
    try {
      const parsed = queue.handler.queue.payload.safeParse(job.payload);
      if (!parsed.success) throw new JobFailedPermanently(`payload does not match queue ${job.queue}: ${parsed.error.message}`);
      await queue.handler.run({ ...job, payload: parsed.data }, completion);
      return { status: 'succeeded', runAt: job.runAt, error: null };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const next = afterFailedTry(queue.retry, job, error, this.options.now());
      const log = next.status === 'failed' ? this.options.logger.error : this.options.logger.warn;
      log.call(this.options.logger, { msg: next.status === 'failed' ? 'jobs: job failed' : 'jobs: try failed, will retry', queue: job.queue, key: job.key, attempts: job.attempts, error: message });
      return { ...next, error: message };
    }
  }

  private async renewLeases(): Promise<void> {
    const now = this.options.now();
    for (const queue of this.queues.values()) {
      const lease = { owner: this.owner, expiresAt: new Date(now.getTime() + queue.leaseMs) };
      await this.options.store
        .renewLeases(this.options.database, queue.handler.queue.name, [...queue.running.keys()], lease)
        .catch((error: Error) => this.options.logger.warn({ msg: 'jobs: could not renew leases', queue: queue.handler.queue.name, error: error.message }));
    }
  }

  private runningCount(): number {
    return [...this.queues.values()].reduce((sum, queue) => sum + queue.running.size, 0);
  }

  private async settled(): Promise<void> {
    while (this.runningCount() > 0) {
      await Promise.all([...this.queues.values()].flatMap((queue) => [...queue.running.values()]));
    }
  }
}
