import { Module } from '@nestjs/common';
import { DestinationsModule } from '../destinations/destinations.module';
import { StorageSettingsController } from './storage-settings.controller';
import { StorageSettingsRepository } from './storage-settings.repository';
import { StorageSettingsService } from './storage-settings.service';

/** Per-tenant storage-export settings (SE1) and each tenant's open destination for the export pipeline. */
@Module({
  imports: [DestinationsModule],
  controllers: [StorageSettingsController],
  providers: [StorageSettingsRepository, StorageSettingsService],
  exports: [StorageSettingsService],
})
export class SettingsModule {}
