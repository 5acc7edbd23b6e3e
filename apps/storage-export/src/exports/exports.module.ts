import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { CrmHandover } from './crm-handover';
import { DownloadController } from './download.controller';
import { ExportFilesRepository } from './export-files.repository';
import { ExportSources } from './export-sources';
import { ExportsController } from './exports.controller';
import { ExportsQueryService } from './exports-query.service';
import { FileExportJob } from './file-export.job';
import { SessionEndedConsumer } from './session-ended.consumer';
import { SessionExportsService } from './session-exports.service';
import { StagedUploadsRepository } from './staged-uploads.repository';
import { UploadRequestTimeouts } from './upload-request-timeouts';
import { UploadsService } from './uploads.service';

/**
 * The export pipeline (SE2, SE3). `dependencies` provide ExportSettingsSource (the settings feature:
 * StorageSettingsExportSourceModule in the service).
 */
@Module({})
export class ExportsModule {
  static forRoot(dependencies: NonNullable<ModuleMetadata['imports']>): DynamicModule {
    return {
      module: ExportsModule,
      imports: dependencies,
      controllers: [ExportsController, DownloadController, SessionEndedConsumer],
      providers: [
        CrmHandover,
        ExportFilesRepository,
        ExportSources,
        ExportsQueryService,
        FileExportJob,
        SessionExportsService,
        StagedUploadsRepository,
        UploadRequestTimeouts,
        UploadsService,
      ],
    };
  }
}
