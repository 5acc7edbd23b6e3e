import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { Clock } from '@switchboard/clock';
import type { SqlExecutor } from '@switchboard/persistence';
import type { JobQueue } from '../job-queue';
import type { JobRecord, JobRequest } from '../job';
import { JobRunner } from '../job-runner';
import { JobListFilter, JobStore } from '../job-store';
import { JOB_HANDLER_METADATA, JobHandlerMetadata } from './job-handler.decorator';

export const JOBS_OPTIONS = Symbol('JOBS_OPTIONS');

export interface JobsModuleOptions {
  /** The service's schema, which holds its `job` table (platform migration 0007). */
  schema: string;
  /** Where claims and outcomes are written (outside any caller's transaction). */
  database: SqlExecutor;
  /** How often due jobs are looked for; 0 runs none in the background (tests call runDueJobs). */
  pollIntervalMs: number;
}

/**
 * The service's durable jobs: schedule them in your transaction, read them for APIs, retry failed
 * ones; the `@JobHandler` methods of the app run them.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly store: JobStore;
  private readonly runner: JobRunner;

  constructor(
    @Inject(JOBS_OPTIONS) private readonly options: JobsModuleOptions,
    private readonly clock: Clock,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {
    this.store = new JobStore(options.schema);
    this.runner = new JobRunner({
      store: this.store,
      database: options.database,
      now: () => this.clock.now(),
      logger: { warn: (message) => this.logger.warn(message), error: (message) => this.logger.error(message) },
      pollIntervalMs: options.pollIntervalMs,
    });
  }

  /** Schedules jobs in `tx` (they exist if and only if it commits); a key already scheduled is left as it is. Returns how many were new. */
  schedule<P>(tx: SqlExecutor, queue: JobQueue<P>, requests: JobRequest<P>[]): Promise<number> {
    return this.store.insert(tx, queue, requests, this.clock.now());
  }

  async find<P>(queue: JobQueue<P>, key: string, db: SqlExecutor = this.options.database): Promise<JobRecord<P> | undefined> {
    return (await this.store.find(db, queue.name, key)) as JobRecord<P> | undefined;
  }

  async list<P>(queue: JobQueue<P>, filter: JobListFilter = {}, db: SqlExecutor = this.options.database): Promise<JobRecord<P>[]> {
    return (await this.store.list(db, queue.name, filter)) as JobRecord<P>[];
  }

  /** A failed job due again now, with a fresh count of tries; false when no failed job has that key. */
  retry<P>(queue: JobQueue<P>, key: string, db: SqlExecutor = this.options.database): Promise<boolean> {
    return this.store.retryFailed(db, queue.name, key, this.clock.now());
  }

  /** Runs every job due at the Clock's now (and any they make due), waiting for them: for tests and tools. */
  runDueJobs(): Promise<number> {
    return this.runner.runDueJobs();
  }

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || wrapper.isAlias) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const handler = instance[method];
        if (typeof handler !== 'function') continue;
        const metadata = this.reflector.get<JobHandlerMetadata | undefined>(JOB_HANDLER_METADATA, handler);
        if (!metadata) continue;
        this.runner.register({ queue: metadata.queue, run: (job, completion) => handler.call(instance, job, completion), ...metadata.options });
      }
    }
    this.runner.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.runner.stop();
  }
}
