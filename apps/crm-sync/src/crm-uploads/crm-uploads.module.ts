import { Module } from '@nestjs/common';
import { SessionFlowsModule } from '../session-flows/session-flows.module';
import { CrmFileUploadRepository } from './crm-file-upload.repository';
import { CrmUploadsController } from './crm-uploads.controller';
import { FileForCrmConsumer } from './file-for-crm.consumer';
import { FileUploadHandler } from './file-upload.handler';
import { SessionFileDownloader } from './session-file-downloader';

/** CS2.6: session files handed over by storage-export (SE1.4), uploaded to the CRM record as durable jobs. */
@Module({
  imports: [SessionFlowsModule],
  controllers: [FileForCrmConsumer, CrmUploadsController],
  providers: [CrmFileUploadRepository, SessionFileDownloader, FileUploadHandler],
})
export class CrmUploadsModule {}
