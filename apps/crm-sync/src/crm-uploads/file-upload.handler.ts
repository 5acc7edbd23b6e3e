import { Injectable, NotFoundException } from '@nestjs/common';
import { Clock } from '@switchboard/clock';
import type { ExportFileKind } from '@switchboard/contracts';
import { type Job, JobFailedPermanently, JobHandler, RetryJobLater } from '@switchboard/jobs';
import { CrmCallRecorder } from '../crm-calls/crm-call-recorder';
import { DAY } from '../crm-calls/retry-policy';
import { CustomCrmSettingsService } from '../crm-engine/crm-settings.service';
import { CrmValueMissing } from '../crm-engine/template-error';
import { PrismaService } from '../database/prisma.service';
import { throwForFailedCall } from '../session-flows/failed-call';
import { SessionFlowEffects } from '../session-flows/session-flow-effects';
import { SessionFlowRepository } from '../session-flows/session-flow.repository';
import { SessionStepHandler } from '../session-flows/session-step.handler';
import { TenantFlowConfigLoader } from '../session-flows/tenant-flow-config';
import { CrmFileUploadRepository } from './crm-file-upload.repository';
import { type FileUploadPayload, fileUploadQueue } from './file-upload-queue';
import { DownloadNotYet, SessionFileDownloader } from './session-file-downloader';

/** How long an unreadable download link waits before the next try (storage-export's server may be restarting). */
export const DOWNLOAD_RETRY_MS = 60_000;

const KIND_WORDS: Record<ExportFileKind, string> = {
  recording: 'Call recording',
  voicemail: 'Voicemail',
  transcript: 'Chat transcript',
  media: 'Photo or video',
  metadata: 'Session metadata',
};

/**
 * CS2.6: uploads a file storage-export handed over (SE1.4) to the session's CRM record, once the record
 * exists: the bytes read from the link and checked, sent with the uploadFile endpoint (base64 or
 * multipart), the attachment id and URL kept, and when the tenant wants it a comment naming the file.
 * The upload's result commits with the comment step; a file already uploaded is not sent again.
 */
@Injectable()
export class FileUploadHandler {
  constructor(
    private readonly database: PrismaService,
    private readonly uploads: CrmFileUploadRepository,
    private readonly downloader: SessionFileDownloader,
    private readonly flows: SessionFlowRepository,
    private readonly config: TenantFlowConfigLoader,
    private readonly crmSettings: CustomCrmSettingsService,
    private readonly recorder: CrmCallRecorder,
    private readonly effects: SessionFlowEffects,
    private readonly steps: SessionStepHandler,
    private readonly clock: Clock,
  ) {}

  @JobHandler(fileUploadQueue, { retry: { maxAttempts: 1_000, initialDelayMs: 1_000, maxDelayMs: 3_600_000, giveUpAfterMs: 8 * DAY }, concurrency: 2 })
  async upload(job: Job<FileUploadPayload>): Promise<void> {
    const tenantId = job.tenantId;
    if (!tenantId) throw new JobFailedPermanently('a file upload needs its tenant');
    const { sessionId, fileName } = job.payload;
    const file = await this.uploads.find(tenantId, sessionId, fileName);
    if (!file) throw new JobFailedPermanently(`no file ${fileName} was handed over for session ${sessionId}`);
    if (file.status === 'uploaded') return;
    const flow = await this.flows.find(tenantId, sessionId);
    if (!flow?.recordId) return this.steps.waitForRecord({ tenantId, payload: { sessionId } });
    try {
      const config = await this.config.load(tenantId);
      const connection = await this.crmSettings.connectionFor(tenantId);
      const bytes = await this.downloader.bytesOf(file);
      const values = { ...flow.values, ACCOUNT_ID: flow.accountId ?? undefined, RECORD_ID: flow.recordId };
      const context = { tenantId, sessionId, step: `upload/${fileName}`, attempt: job.attempts };
      const result = await this.recorder.upload(context, connection, values, { name: file.fileName, contentType: file.contentType, bytes });
      if (result.outcome === 'failed') return throwForFailedCall(config.settings.retryPolicy, 'uploadFile', result, job, this.clock.now());
      if (result.outcome === 'not_found') throw new JobFailedPermanently(`the CRM answered 404: record ${flow.recordId} is gone`);
      const commentWanted = connection.endpoints.uploadFile?.upload?.addComment === true && connection.endpoints.comment !== undefined;
      await this.database.transaction(async (tx) => {
        await this.uploads.markUploaded(tx, file, { id: result.id, url: result.attachmentUrl }, this.clock.now());
        if (!commentWanted) return;
        const where = result.attachmentUrl ?? result.id ?? 'the record';
        const text = `${KIND_WORDS[file.fileKind as ExportFileKind] ?? 'File'} ${file.fileName} attached: ${where}`;
        await this.effects.schedule(tx, flow, [{ name: `comment/upload/${file.fileName}`, payload: { step: 'comment', comment: { event: 'file_upload', text } } }]);
      });
    } catch (error) {
      if (error instanceof DownloadNotYet) throw new RetryJobLater(error.message, DOWNLOAD_RETRY_MS);
      if (error instanceof CrmValueMissing || error instanceof NotFoundException) throw new JobFailedPermanently(error.message);
      throw error;
    }
  }
}
