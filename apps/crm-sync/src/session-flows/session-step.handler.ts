import { Injectable, NotFoundException } from '@nestjs/common';
import { Clock } from '@switchboard/clock';
import { type Job, JobFailedPermanently, JobHandler, JobsService, RetryJobLater } from '@switchboard/jobs';
import { randomUUID } from 'node:crypto';
import { CrmCallRecorder } from '../crm-calls/crm-call-recorder';
import { CrmCallLogRepository } from '../crm-calls/crm-call-log.repository';
import { DAY } from '../crm-calls/retry-policy';
import type { CrmConnection } from '../crm-engine/crm-connection';
import type { CrmCallResult } from '../crm-engine/crm-engine.service';
import type { CrmEndpointKind } from '../crm-engine/crm-endpoint';
import { CustomCrmSettingsService } from '../crm-engine/crm-settings.service';
import type { SessionValues } from '../crm-engine/crm-variables';
import { CrmValueMissing } from '../crm-engine/template-error';
import { PrismaService } from '../database/prisma.service';
import { throwForFailedCall } from './failed-call';
import { OutboxScrubber } from './outbox-scrubber';
import { commentBody, startComment } from './record-comments';
import { SessionFlowEffects } from './session-flow-effects';
import { SessionFlowPlanner } from './session-flow-planner';
import { type SessionFlow, SessionFlowRepository } from './session-flow.repository';
import { type SessionStepPayload, sessionStepQueue, stepKey, stepNameOf } from './session-step-queue';
import { subjectOf } from './session-values';
import { type TenantFlowConfig, TenantFlowConfigLoader } from './tenant-flow-config';

/** How long update and comment steps wait between looks for the record they need. */
export const WAIT_FOR_RECORD_MS = 30_000;

type StepJob = Job<SessionStepPayload> & { tenantId: string };

/**
 * Runs the steps of the session flows (CS4). A step is done once: its result is committed with the flow's
 * state, the next steps and the pops in one transaction, and a step that finds its result already there
 * does nothing. A failed CRM call is retried per the tenant's policy (CS2.8) through the job's own retries,
 * so retries survive restarts and are taken by one replica at a time.
 */
@Injectable()
export class SessionStepHandler {
  constructor(
    private readonly database: PrismaService,
    private readonly flows: SessionFlowRepository,
    private readonly config: TenantFlowConfigLoader,
    private readonly crmSettings: CustomCrmSettingsService,
    private readonly recorder: CrmCallRecorder,
    private readonly callLog: CrmCallLogRepository,
    private readonly planner: SessionFlowPlanner,
    private readonly effects: SessionFlowEffects,
    private readonly scrubber: OutboxScrubber,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
  ) {}

  // Unexpected errors (the database away) back off to an hour; CRM failures are decided per tenant (RetryJobLater / JobFailedPermanently).
  @JobHandler(sessionStepQueue, { retry: { maxAttempts: 1_000, initialDelayMs: 1_000, maxDelayMs: 3_600_000, giveUpAfterMs: 8 * DAY }, concurrency: 4 })
  async run(job: Job<SessionStepPayload>): Promise<void> {
    if (!job.tenantId) throw new JobFailedPermanently('a session step needs its tenant');
    const step = { ...job, tenantId: job.tenantId };
    const flow = await this.flows.find(step.tenantId, job.payload.sessionId);
    if (!flow) throw new JobFailedPermanently(`session ${job.payload.sessionId} has no flow`);
    if (job.payload.step === 'forget') return this.scrubber.forgetPersonalPops(flow);
    const config = await this.config.load(step.tenantId);
    try {
      const connection = await this.crmSettings.connectionFor(step.tenantId);
      switch (job.payload.step) {
        case 'account':
          return await this.account(step, flow, config, connection);
        case 'record':
          return await this.record(step, flow, config, connection);
        case 'update':
        case 'comment':
          return await this.afterRecord(step, flow, config, connection);
      }
    } catch (error) {
      if (error instanceof CrmValueMissing || error instanceof NotFoundException) throw new JobFailedPermanently(error.message);
      throw error;
    }
  }

  /** CS2.3: find by id (a known {ACCOUNT_ID}), else by query, else create; CS5.4: or a temporary account for the custom URL. */
  private async account(job: StepJob, flow: SessionFlow, config: TenantFlowConfig, connection: CrmConnection): Promise<void> {
    if (flow.accountId || flow.temporaryAccountId) return;
    const call = this.caller(job, connection, flow.values, config);
    const byId = flow.values.ACCOUNT_ID && connection.endpoints.findAccountById ? await call('findAccountById') : undefined;
    let found = byId?.outcome === 'ok' ? byId : await call('findAccountByQuery');
    const notFoundUrl = config.settings.lookupUrls.openCustomUrlWhenNotFound.some((queue) => queue.queueId === flow.queueId);
    if (found.outcome === 'not_found' && notFoundUrl) {
      return this.commit(flow, config, () => ({ temporaryAccountId: `tmp-${randomUUID()}` }));
    }
    if (found.outcome === 'not_found') found = await call('createAccount');
    const accountId = idOf(found, 'createAccount');
    await this.commit(flow, config, () => ({ accountId }));
  }

  /** CS2.4: the open record reused when the tenant wants it (or when an earlier create may have gone through), else a new one. */
  private async record(job: StepJob, flow: SessionFlow, config: TenantFlowConfig, connection: CrmConnection): Promise<void> {
    if (flow.recordId) return;
    if (!flow.accountId) throw new JobFailedPermanently('the record step needs the account, which was not found or created');
    const values = { ...flow.values, ACCOUNT_ID: flow.accountId, TICKET_SUBJECT: flow.values.TICKET_SUBJECT ?? subjectOf(flow.values) };
    const call = this.caller(job, connection, values, config);
    // A create that may have gone through (cut off by a crash, or answered just before one) is looked for before creating again.
    const interrupted = await this.callLog.hasUncommittedCall(job.tenantId, flow.sessionId, 'record', 'createRecord');
    const find = connection.endpoints.findRecordByQuery && (connection.reuseExistingRecords || interrupted) ? await call('findRecordByQuery') : undefined;
    const found = find?.outcome === 'ok' ? find : await call('createRecord');
    const recordId = idOf(found, 'createRecord');
    await this.commit(flow, config, () => ({ recordId }), (locked) => this.planner.commentSteps([startComment(locked.values, locked.startedAt?.toISOString())], config));
  }

  /** CS2.5 update and CS2.7 comment: they need the record, and wait for it while it may still come. */
  private async afterRecord(job: StepJob, flow: SessionFlow, config: TenantFlowConfig, connection: CrmConnection): Promise<void> {
    if (!flow.recordId) return this.waitForRecord(job);
    const values: SessionValues = { ...flow.values, ...job.payload.values, ACCOUNT_ID: flow.accountId ?? undefined, RECORD_ID: flow.recordId };
    if (job.payload.comment) values.COMMENT_BODY = commentBody(job.payload.comment.text, config.settings.comments.format);
    const result = await this.caller(job, connection, values, config)(job.payload.step === 'comment' ? 'comment' : 'updateRecord');
    if (result.outcome === 'not_found') throw new JobFailedPermanently(`the CRM answered 404: record ${flow.recordId} is gone`);
  }

  async waitForRecord(job: { tenantId: string; payload: { sessionId: string } }): Promise<never> {
    const record = await this.jobs.find(sessionStepQueue, stepKey(job.tenantId, job.payload.sessionId, 'record'));
    const account = await this.jobs.find(sessionStepQueue, stepKey(job.tenantId, job.payload.sessionId, 'account'));
    if (record?.status === 'failed' || account?.status === 'failed') throw new JobFailedPermanently(`the session has no record: ${record?.lastError ?? account?.lastError ?? 'it was not created'}`);
    throw new RetryJobLater('waiting for the record to be created', WAIT_FOR_RECORD_MS);
  }

  /**
   * One endpoint call, logged; a failure ends the try: retried later or failed for good, per the tenant's
   * policy (CS2.8), counted from the step's first schedule.
   */
  private caller(job: StepJob, connection: CrmConnection, values: SessionValues, config: TenantFlowConfig) {
    return async (endpoint: CrmEndpointKind): Promise<Exclude<CrmCallResult, { outcome: 'failed' }>> => {
      const { tenantId, payload } = job;
      const stepName = stepNameOf(job.key, tenantId, payload.sessionId);
      const result = await this.recorder.call({ tenantId, sessionId: payload.sessionId, step: payload.step, stepName, attempt: job.attempts }, connection, endpoint, values);
      if (result.outcome !== 'failed') return result;
      return throwForFailedCall(config.settings.retryPolicy, endpoint, result, job, this.clock.now());
    };
  }

  /** The step's result, the steps it makes due and the pops, in one transaction under the flow's lock. */
  private async commit(
    flow: SessionFlow,
    config: TenantFlowConfig,
    changes: (locked: SessionFlow) => Partial<Pick<SessionFlow, 'accountId' | 'recordId' | 'temporaryAccountId'>>,
    extraSteps: (locked: SessionFlow) => ReturnType<SessionFlowPlanner['commentSteps']> = () => [],
  ): Promise<void> {
    await this.database.transaction(async (tx) => {
      let locked = await this.flows.lock(tx, flow.tenantId, flow.sessionId);
      locked = await this.flows.update(tx, locked, changes(locked));
      await this.effects.schedule(tx, locked, [...this.planner.recordStepIfDue(locked, config), ...extraSteps(locked)]);
      await this.effects.publishPops(tx, locked, config);
    });
  }
}

/** The id a find or create answered with; an answer without one cannot go on. */
function idOf(result: Exclude<CrmCallResult, { outcome: 'failed' }>, endpoint: CrmEndpointKind): string {
  if (result.outcome === 'ok' && result.id !== undefined) return result.id;
  throw new JobFailedPermanently(`${endpoint} answered ${result.status} without an id at its response data location`);
}
