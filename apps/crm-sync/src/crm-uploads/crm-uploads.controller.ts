import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { JobsService } from '@switchboard/jobs';
import { sessionKeyPrefix } from '../session-flows/session-step-queue';
import { CrmFileUploadRepository } from './crm-file-upload.repository';
import { fileUploadKey, fileUploadQueue } from './file-upload-queue';

const MAX_SESSION_ID = 200;

@ApiTags('CRM session flows')
@ApiBearerAuth()
@Roles(Role.Administrator, Role.OmnichannelSupervisor)
@Controller('crm/sessions')
export class CrmUploadsController {
  constructor(
    private readonly uploads: CrmFileUploadRepository,
    private readonly jobs: JobsService,
  ) {}

  @Get(':sessionId/uploads')
  @ApiOperation({ summary: "The session's files handed over for the CRM (CS2.6): each upload's status, tries, last error, attachment id and URL" })
  async list(@TenantId() tenantId: string, @Param('sessionId') sessionId: string) {
    if (sessionId.length > MAX_SESSION_ID) throw new NotFoundException({ code: 'SessionNotFound', message: `No CRM uploads for session ${sessionId.slice(0, 50)}…` });
    const [files, jobs] = await Promise.all([
      this.uploads.listForSession(tenantId, sessionId),
      this.jobs.list(fileUploadQueue, { tenantId, keyPrefix: sessionKeyPrefix(tenantId, sessionId), limit: 200 }),
    ]);
    if (files.length === 0) throw new NotFoundException({ code: 'SessionNotFound', message: `No CRM uploads for session ${sessionId}` });
    const jobOf = new Map(jobs.map((job) => [job.key, job]));
    return {
      sessionId,
      uploads: files.map((file) => {
        const job = jobOf.get(fileUploadKey(tenantId, sessionId, file.fileName));
        return {
          ...file,
          status: file.status === 'uploaded' ? 'uploaded' : (job?.status === 'failed' ? 'failed' : 'pending'),
          attempts: job?.attempts ?? 0,
          lastError: job?.lastError ?? null,
          receivedAt: file.receivedAt.toISOString(),
          uploadedAt: file.uploadedAt?.toISOString() ?? null,
        };
      }),
    };
  }
}
