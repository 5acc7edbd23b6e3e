import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Clock, ManualClock } from '@switchboard/clock';
import { pgSqlExecutor, pgTransactionRunner, type SqlExecutor } from '@switchboard/persistence';
import { applyPlatformMigrations } from '@switchboard/persistence/migrate';
import { createTestDatabase, eventually } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJobQueue, Job, JobFailedPermanently, JobHandler, JobRunner, JobsModule, JobsService, JobStore, RetryJobLater } from './index';

const SCHEMA = 'jobs_test';
const greetings = defineJobQueue('jobs-test.greeting', z.object({ name: z.string() }));
const flaky = defineJobQueue('jobs-test.flaky', z.object({ failures: z.number().int(), permanent: z.boolean().optional(), retryAfterMs: z.number().optional() }));
const counted = defineJobQueue('jobs-test.counted', z.object({ n: z.number().int() }));
const chained = defineJobQueue('jobs-test.chained', z.object({ step: z.number().int() }));

let pool: pg.Pool;
let drop: () => Promise<void>;
const db = () => pgSqlExecutor(pool);
const transaction = () => pgTransactionRunner(pool);
const runs: { queue: string; key: string; payload: unknown; attempts: number }[] = [];
const ranOf = (queue: string) => runs.filter((run) => run.queue === queue);
const tenantId = randomUUID();

@Injectable()
class TestHandlers {
  constructor(private readonly jobs: JobsService) {}

  @JobHandler(greetings)
  async greet(job: Job<{ name: string }>): Promise<void> {
    runs.push({ queue: job.queue, key: job.key, payload: job.payload, attempts: job.attempts });
  }

  @JobHandler(flaky, { retry: { maxAttempts: 3, initialDelayMs: 1_000, maxDelayMs: 10_000 } })
  async flaky(job: Job<{ failures: number; permanent?: boolean; retryAfterMs?: number }>): Promise<void> {
    runs.push({ queue: job.queue, key: job.key, payload: job.payload, attempts: job.attempts });
    if (job.payload.permanent) throw new JobFailedPermanently('the CRM answered 404');
    if (job.payload.retryAfterMs !== undefined && job.attempts === 1) throw new RetryJobLater('429 Too Many Requests', job.payload.retryAfterMs);
    if (job.attempts <= job.payload.failures) throw new Error(`try ${job.attempts} failed`);
  }

  @JobHandler(counted, { concurrency: 8 })
  async count(job: Job<{ n: number }>): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 2));
    runs.push({ queue: job.queue, key: job.key, payload: job.payload, attempts: job.attempts });
  }

  @JobHandler(chained)
  async chain(job: Job<{ step: number }>): Promise<void> {
    runs.push({ queue: job.queue, key: job.key, payload: job.payload, attempts: job.attempts });
    if (job.payload.step < 3) {
      const next = job.payload.step + 1;
      await transaction()((tx) => this.jobs.schedule(tx, chained, [{ key: `${job.key.split(':')[0]}:${next}`, payload: { step: next }, runAt: new Date(0) }]));
    }
  }
}

async function startApp(clock: Clock, pollIntervalMs = 0, handlers: unknown[] = [TestHandlers]) {
  @Module({
    imports: [JobsModule.forRootAsync({ useFactory: () => ({ schema: SCHEMA, database: db(), pollIntervalMs }) })],
    providers: handlers as never[],
  })
  class TestModule {}
  const app = await Test.createTestingModule({ imports: [TestModule] }).overrideProvider(Clock).useValue(clock).compile();
  app.useLogger(false);
  await app.init();
  return { app, jobs: app.get(JobsService) };
}

beforeAll(async () => {
  const database = await createTestDatabase('jobs');
  drop = database.drop;
  await applyPlatformMigrations({ databaseUrl: database.url, schema: SCHEMA });
  pool = new pg.Pool({ connectionString: database.url, max: 12 });
  // pool.end() resolves before its clients' sockets have closed; the drop's FORCE then terminates them, and the
  // FATAL it sends would reach an idle client's pool 'error' event with no listener: an uncaught exception.
  pool.on('error', () => undefined);
});

afterAll(async () => {
  await pool?.end();
  await drop?.();
});

describe('durable jobs (libs/jobs)', () => {
  it('exist only if the scheduling transaction commits; the same key scheduled again changes nothing', async () => {
    const clock = new ManualClock('2026-12-01T10:00:00Z');
    const { app, jobs } = await startApp(clock);
    try {
      await expect(
        transaction()(async (tx) => {
          await jobs.schedule(tx, greetings, [{ key: 'rolled-back', payload: { name: 'x' }, runAt: clock.now() }]);
          throw new Error('the state change failed');
        }),
      ).rejects.toThrow('the state change failed');
      expect(await jobs.find(greetings, 'rolled-back')).toBeUndefined();

      const first = await transaction()((tx) => jobs.schedule(tx, greetings, [{ key: 'once', tenantId, payload: { name: 'Ada' }, runAt: clock.now() }]));
      const again = await transaction()((tx) => jobs.schedule(tx, greetings, [{ key: 'once', tenantId, payload: { name: 'Grace' }, runAt: clock.now() }]));
      expect([first, again]).toEqual([1, 0]);
      expect((await jobs.find(greetings, 'once'))?.payload).toEqual({ name: 'Ada' });
      await expect(jobs.schedule(db(), greetings, [{ key: 'bad', payload: { name: 42 } as never, runAt: clock.now() }])).rejects.toThrow(/expected string/);
      expect(await jobs.find(greetings, 'bad')).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('runs a job only once it is due at the injected clock, with its typed payload, and keeps it visible as succeeded', async () => {
    const clock = new ManualClock('2026-12-01T10:00:00Z');
    const { app, jobs } = await startApp(clock);
    try {
      await jobs.schedule(db(), greetings, [{ key: 'later', tenantId, payload: { name: 'Lin' }, runAt: new Date('2026-12-01T10:15:00Z') }]);
      await jobs.runDueJobs();
      expect(ranOf(greetings.name).filter((run) => run.key === 'later')).toEqual([]);

      clock.advance(15 * 60_000);
      await jobs.runDueJobs();
      expect(ranOf(greetings.name).filter((run) => run.key === 'later')).toEqual([{ queue: greetings.name, key: 'later', payload: { name: 'Lin' }, attempts: 1 }]);
      const record = await jobs.find(greetings, 'later');
      expect(record).toMatchObject({ status: 'succeeded', attempts: 1, tenantId, lastError: null, finishedAt: new Date('2026-12-01T10:15:00Z') });
      expect((await jobs.list(greetings, { tenantId, status: 'succeeded' })).map((job) => job.key)).toContain('later');
      await jobs.runDueJobs();
      expect(ranOf(greetings.name).filter((run) => run.key === 'later')).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it('retries a failing job after growing delays, marks it failed with the error after maxAttempts, and retry() runs it again', async () => {
    const clock = new ManualClock('2026-12-01T11:00:00Z');
    const { app, jobs } = await startApp(clock);
    try {
      await jobs.schedule(db(), flaky, [{ key: 'always', payload: { failures: 99 }, runAt: clock.now() }]);
      await jobs.runDueJobs();
      expect(await jobs.find(flaky, 'always')).toMatchObject({ status: 'pending', attempts: 1, lastError: 'try 1 failed', runAt: new Date('2026-12-01T11:00:01Z') });
      clock.advance(999);
      await jobs.runDueJobs();
      expect((await jobs.find(flaky, 'always'))?.attempts).toBe(1);
      clock.advance(1);
      await jobs.runDueJobs();
      expect(await jobs.find(flaky, 'always')).toMatchObject({ status: 'pending', attempts: 2, runAt: new Date('2026-12-01T11:00:03Z') });
      clock.advance(2_000);
      await jobs.runDueJobs();
      expect(await jobs.find(flaky, 'always')).toMatchObject({ status: 'failed', attempts: 3, lastError: 'try 3 failed' });
      expect((await jobs.list(flaky, { status: 'failed' })).map((job) => job.key)).toEqual(['always']);

      expect(await jobs.retry(flaky, 'always')).toBe(true);
      expect(await jobs.retry(flaky, 'no-such-job')).toBe(false);
      await jobs.runDueJobs();
      expect(await jobs.find(flaky, 'always')).toMatchObject({ status: 'pending', attempts: 1 });
    } finally {
      await app.close();
    }
  });

  it('honours the delay a handler asks for, and fails at once on JobFailedPermanently', async () => {
    const clock = new ManualClock('2026-12-01T12:00:00Z');
    const { app, jobs } = await startApp(clock);
    try {
      await jobs.schedule(db(), flaky, [
        { key: 'retry-after', payload: { failures: 0, retryAfterMs: 120_000 }, runAt: clock.now() },
        { key: 'gone', payload: { failures: 0, permanent: true }, runAt: clock.now() },
      ]);
      await jobs.runDueJobs();
      expect(await jobs.find(flaky, 'retry-after')).toMatchObject({ status: 'pending', runAt: new Date('2026-12-01T12:02:00Z'), lastError: '429 Too Many Requests' });
      expect(await jobs.find(flaky, 'gone')).toMatchObject({ status: 'failed', attempts: 1, lastError: 'the CRM answered 404' });
      clock.advance(120_000);
      await jobs.runDueJobs();
      expect(await jobs.find(flaky, 'retry-after')).toMatchObject({ status: 'succeeded', attempts: 2 });
    } finally {
      await app.close();
    }
  });

  it('runs jobs a job schedules for now in the same runDueJobs call', async () => {
    const clock = new ManualClock('2026-12-01T13:00:00Z');
    const { app, jobs } = await startApp(clock);
    try {
      await jobs.schedule(db(), chained, [{ key: 'flow:1', payload: { step: 1 }, runAt: clock.now() }]);
      await jobs.runDueJobs();
      expect(ranOf(chained.name).map((run) => run.key)).toEqual(['flow:1', 'flow:2', 'flow:3']);
    } finally {
      await app.close();
    }
  });

  it('two replicas polling the same table run each of 200 jobs exactly once', async () => {
    const clock = new Clock();
    const replicas = await Promise.all([startApp(clock, 20), startApp(clock, 20)]);
    try {
      const requests = Array.from({ length: 200 }, (_, n) => ({ key: `n-${n}`, payload: { n }, runAt: new Date(Date.now() - 1_000) }));
      await replicas[0].jobs.schedule(db(), counted, requests);
      await eventually(async () => ((await replicas[0].jobs.list(counted, { status: 'succeeded', limit: 500 })).length === 200 ? true : undefined), 'all 200 jobs succeeded', 20_000);
      const keys = ranOf(counted.name).map((run) => run.key);
      expect(keys).toHaveLength(200);
      expect(new Set(keys).size).toBe(200);
    } finally {
      await Promise.all(replicas.map(({ app }) => app.close()));
    }
  });

  it('a job whose runner died is run by another once its lease expires; the dead runner can no longer record an outcome', async () => {
    const clock = new ManualClock('2026-12-01T14:00:00Z');
    const store = new JobStore(SCHEMA);
    const { app, jobs } = await startApp(clock);
    try {
      await jobs.schedule(db(), greetings, [{ key: 'orphan', payload: { name: 'Kay' }, runAt: clock.now() }]);
      const [claimed] = await store.claim(db(), greetings.name, clock.now(), 1, { owner: 'dead-replica', expiresAt: new Date(clock.now().getTime() + 60_000) });
      if (!claimed) throw new Error('the dead replica claimed nothing');
      expect(claimed.key).toBe('orphan');
      await jobs.runDueJobs();
      expect(ranOf(greetings.name).filter((run) => run.key === 'orphan')).toEqual([]);

      clock.advance(60_000);
      await jobs.runDueJobs();
      expect(ranOf(greetings.name).filter((run) => run.key === 'orphan')).toEqual([{ queue: greetings.name, key: 'orphan', payload: { name: 'Kay' }, attempts: 2 }]);
      const late = await store.finishTry(db(), claimed, 'dead-replica', { status: 'failed', runAt: clock.now(), error: 'late' }, clock.now());
      expect(late).toBe(false);
      expect(await jobs.find(greetings, 'orphan')).toMatchObject({ status: 'succeeded' });
    } finally {
      await app.close();
    }
  });

  it('a stored payload the queue schema refuses fails the job at once, naming the queue', async () => {
    const clock = new ManualClock('2026-12-01T15:00:00Z');
    const { app, jobs } = await startApp(clock);
    try {
      await pool.query(`INSERT INTO ${SCHEMA}.job (queue, key, payload, run_at, created_at, updated_at) VALUES ($1, 'corrupt', '{"name": 7}', $2, $2, $2)`, [greetings.name, clock.now()]);
      await jobs.runDueJobs();
      expect(await jobs.find(greetings, 'corrupt')).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringContaining('payload does not match queue jobs-test.greeting') });
    } finally {
      await app.close();
    }
  });

  it('refuses to start with two handlers for one queue, in one line naming it', async () => {
    @Injectable()
    class SecondGreeter {
      @JobHandler(greetings)
      async greetAgain(): Promise<void> {
        await Promise.resolve();
      }
    }
    await expect(startApp(new Clock(), 0, [TestHandlers, SecondGreeter])).rejects.toThrow('job queue "jobs-test.greeting" has two handlers; give it exactly one');
  });

  it('a handler records its success in its own transaction: effects and the job end commit together, and the runner writes nothing more', async () => {
    await db().$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS ${SCHEMA}.effect (key text PRIMARY KEY)`);
    // The runner's own statements on its database, counted (the real database answers them).
    const runnerStatements: string[] = [];
    const counting: SqlExecutor = {
      $executeRawUnsafe: (query, ...values) => (runnerStatements.push(query), db().$executeRawUnsafe(query, ...values)),
      $queryRawUnsafe: (query, ...values) => (runnerStatements.push(query), db().$queryRawUnsafe(query, ...values)),
    };
    const runner = new JobRunner({ store: new JobStore(SCHEMA), database: counting, now: () => new Date(), logger: { warn: () => undefined, error: () => undefined }, pollIntervalMs: 0 });
    const within = defineJobQueue('jobs-test.within', z.object({ rollBack: z.boolean() }));
    runner.register({
      queue: within,
      retry: { maxAttempts: 3, initialDelayMs: 60_000, maxDelayMs: 60_000 },
      run: (job, completion) =>
        transaction()(async (tx) => {
          await tx.$executeRawUnsafe(`INSERT INTO ${SCHEMA}.effect (key) VALUES ($1)`, job.key);
          expect(await completion.succeedWithin(tx)).toBe(true);
          if ((job.payload as { rollBack: boolean }).rollBack) throw new Error('the commit was refused');
        }),
    });
    const store = new JobStore(SCHEMA);
    await store.insert(db(), within, [{ key: 'kept', payload: { rollBack: false }, runAt: new Date(Date.now() - 1) }, { key: 'undone', payload: { rollBack: true }, runAt: new Date(Date.now() - 1) }], new Date());

    expect(await runner.runDueJobs()).toBe(2);
    const effects = await db().$queryRawUnsafe<Array<{ key: string }>>(`SELECT key FROM ${SCHEMA}.effect WHERE key IN ('kept', 'undone')`);
    expect(effects.map((row) => row.key)).toEqual(['kept']);
    expect(await store.find(db(), within.name, 'kept')).toMatchObject({ status: 'succeeded', attempts: 1, lastError: null, finishedAt: expect.any(Date) });
    // The rolled-back try took the job's end with it: the runner records the failure, and the job is due again.
    expect(await store.find(db(), within.name, 'undone')).toMatchObject({ status: 'pending', attempts: 1, lastError: 'the commit was refused', finishedAt: null });
    // Claims and the one failure's end: no end written by the runner for the job that recorded its own.
    expect(runnerStatements.filter((query) => /SET status = \$4/.test(query))).toHaveLength(1);
  });

  it('a stopped runner claims nothing more and waits for the job it is running', async () => {
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    let finished = false;
    const runner = new JobRunner({
      store: new JobStore(SCHEMA),
      database: db(),
      now: () => new Date(),
      logger: { warn: () => undefined, error: () => undefined },
      pollIntervalMs: 10,
    });
    const slow = defineJobQueue('jobs-test.slow', z.object({}));
    runner.register({ queue: slow, run: async () => { await blocked; finished = true; } });
    await new JobStore(SCHEMA).insert(db(), slow, [{ key: 'a', payload: {}, runAt: new Date(Date.now() - 1) }, { key: 'b', payload: {}, runAt: new Date(Date.now() + 60_000) }], new Date());
    runner.start();
    await eventually(async () => ((await new JobStore(SCHEMA).find(db(), slow.name, 'a'))?.status === 'running' ? true : undefined), 'job a running');
    const stopping = runner.stop();
    release();
    await stopping;
    expect(finished).toBe(true);
    expect((await new JobStore(SCHEMA).find(db(), slow.name, 'a'))?.status).toBe('succeeded');
  });
});
