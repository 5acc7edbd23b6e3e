import { Injectable, Module } from '@nestjs/common';
import type { ExportFileKind } from '@switchboard/contracts';
import { SettingsModule } from '../settings/settings.module';
import type { FileKind } from '../settings/storage-settings.schema';
import { type ExportSettings as SavedExportSettings, StorageSettingsService } from '../settings/storage-settings.service';
import { type ExportSettings, ExportSettingsSource, type ExportTarget } from './export-settings';

/** The settings' names of the kinds (SE1.1, plural) as the layout's file kinds. */
const KIND_OF_SETTING: Readonly<Record<FileKind, ExportFileKind>> = {
  recordings: 'recording',
  voicemails: 'voicemail',
  transcripts: 'transcript',
  media: 'media',
  metadata: 'metadata',
};

/** The pipeline's view of the tenants' saved storage settings (SE1) and their open destinations. */
@Injectable()
export class StorageSettingsExportSource extends ExportSettingsSource {
  constructor(private readonly settings: StorageSettingsService) {
    super();
  }

  async exportSettingsOf(tenantId: string): Promise<ExportSettings | undefined> {
    const settings = await this.settings.exportSettingsFor(tenantId);
    return settings && pipelineView(settings);
  }

  async exportTargetOf(tenantId: string): Promise<ExportTarget | undefined> {
    const target = await this.settings.exportTargetFor(tenantId);
    return target && { settings: pipelineView(target.settings), destination: target.destination };
  }
}

function pipelineView(settings: SavedExportSettings): ExportSettings {
  return { enabled: settings.enabled, kinds: settings.fileKinds.map((kind) => KIND_OF_SETTING[kind]), sendToCrm: settings.alsoSendToCrm };
}

@Module({ imports: [SettingsModule], providers: [{ provide: ExportSettingsSource, useClass: StorageSettingsExportSource }], exports: [ExportSettingsSource] })
export class StorageSettingsExportSourceModule {}
