export { ExportsModule } from './exports.module';
export { StorageSettingsExportSourceModule } from './storage-settings-export-source';
