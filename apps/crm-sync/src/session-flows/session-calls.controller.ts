import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { JobsService } from '@switchboard/jobs';
import { CrmCallLogRepository } from '../crm-calls/crm-call-log.repository';
import { sessionKeyPrefix, sessionStepQueue, stepNameOf } from './session-step-queue';

const MAX_SESSION_ID = 200;

@ApiTags('CRM session flows')
@ApiBearerAuth()
@Roles(Role.Administrator, Role.OmnichannelSupervisor)
@Controller('crm/sessions')
export class SessionCallsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly calls: CrmCallLogRepository,
  ) {}

  @Get(':sessionId/calls')
  @ApiOperation({
    summary: "A session's CRM flow: each step (status, tries, next try, last error) and each call to the CRM (method, URL, status, timings)",
    description: 'URLs are shown without query values and without path segments that hold the customer\'s details; authentication never appears.',
  })
  async list(@TenantId() tenantId: string, @Param('sessionId') sessionId: string) {
    if (sessionId.length > MAX_SESSION_ID) throw new NotFoundException({ code: 'SessionNotFound', message: `No CRM flow for session ${sessionId.slice(0, 50)}…` });
    const [steps, calls] = await Promise.all([
      this.jobs.list(sessionStepQueue, { tenantId, keyPrefix: sessionKeyPrefix(tenantId, sessionId), limit: 200 }),
      this.calls.list(tenantId, sessionId),
    ]);
    if (steps.length === 0 && calls.length === 0) throw new NotFoundException({ code: 'SessionNotFound', message: `No CRM flow for session ${sessionId}` });
    return {
      sessionId,
      steps: steps
        .map((job) => ({
          step: stepNameOf(job.key, tenantId, sessionId),
          status: job.status,
          attempts: job.attempts,
          ...(job.status === 'pending' ? { nextAttemptAt: job.runAt.toISOString() } : {}),
          lastError: job.lastError,
          scheduledAt: job.createdAt.toISOString(),
          finishedAt: job.finishedAt?.toISOString() ?? null,
        }))
        .reverse(),
      calls: calls.map((call) => ({
        step: call.step,
        attempt: call.attempt,
        endpoint: call.endpoint,
        method: call.method,
        url: call.url,
        outcome: call.outcome,
        status: call.httpStatus,
        error: call.error,
        startedAt: call.startedAt.toISOString(),
        durationMs: call.finishedAt ? call.finishedAt.getTime() - call.startedAt.getTime() : null,
      })),
    };
  }
}
