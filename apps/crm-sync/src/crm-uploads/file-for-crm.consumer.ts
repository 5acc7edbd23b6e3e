import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CatalogEvent, StorageExportEventTypes, Topics } from '@switchboard/contracts';
import { JobsService } from '@switchboard/jobs';
import { Clock } from '@switchboard/clock';
import { InboxContext } from '@switchboard/messaging';
import { CrmSyncTx } from '../database/prisma.service';
import { SessionFlowRepository } from '../session-flows/session-flow.repository';
import { TenantFlowConfigLoader } from '../session-flows/tenant-flow-config';
import { CrmFileUploadRepository } from './crm-file-upload.repository';
import { fileUploadKey, fileUploadQueue } from './file-upload-queue';

type FileForCrmEvent = CatalogEvent<typeof Topics.storageExport, typeof StorageExportEventTypes.fileForCrm>;

/**
 * storage.export.v1 FileForCrm into crm-sync (SE1.4 → CS2.6): the file is kept and its upload scheduled as a
 * durable job in the inbox transaction, so a redelivered event is skipped and a crash before the commit
 * leaves nothing half done. A file handed over again after its upload failed (storage-export's retry, with a
 * fresh link) is tried again; one already uploaded is not.
 */
@Controller()
export class FileForCrmConsumer {
  private readonly logger = new Logger(FileForCrmConsumer.name);

  constructor(
    private readonly uploads: CrmFileUploadRepository,
    private readonly flows: SessionFlowRepository,
    private readonly config: TenantFlowConfigLoader,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
  ) {}

  @EventPattern({ topic: Topics.storageExport, type: StorageExportEventTypes.fileForCrm })
  async onFileForCrm(@Payload() event: FileForCrmEvent, @Ctx() { tx }: InboxContext<CrmSyncTx>): Promise<void> {
    const tenantId = event.tenantid;
    const file = event.data;
    const config = await this.config.load(tenantId);
    if (!config.crm?.endpoints.has('uploadFile')) {
      this.logger.warn(`tenant ${tenantId}: ${file.fileName} of session ${file.sessionId} was handed over for the CRM, but no uploadFile endpoint is configured (CS2.6)`);
      return;
    }
    // The session's flow row is the lock its steps share; a file may come before crm-sync saw the session start.
    await this.flows.lock(tx, tenantId, file.sessionId);
    if ((await this.uploads.accept(tx, tenantId, event.id, file)) === 'uploaded') return;
    const key = fileUploadKey(tenantId, file.sessionId, file.fileName);
    const scheduled = await this.jobs.schedule(tx, fileUploadQueue, [{ key, tenantId, payload: { sessionId: file.sessionId, fileName: file.fileName }, runAt: this.clock.now() }]);
    if (scheduled === 0) await this.jobs.retry(fileUploadQueue, key, tx);
  }
}
