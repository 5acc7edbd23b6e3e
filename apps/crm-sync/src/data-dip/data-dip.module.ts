import { Module } from '@nestjs/common';
import { DataDipController } from './data-dip.controller';
import { DataDipService } from './data-dip.service';
import { DynamicsSettingsController } from './dynamics-settings.controller';
import { DynamicsSettingsRepository } from './dynamics-settings.repository';
import { DynamicsSettingsService } from './dynamics-settings.service';

/** The Dynamics 365 IVR data dip (CS7) and its per-tenant settings. */
@Module({
  controllers: [DynamicsSettingsController, DataDipController],
  providers: [DynamicsSettingsRepository, DynamicsSettingsService, DataDipService],
})
export class DataDipModule {}
