import { Module } from '@nestjs/common';
import { CrmEngineService } from './crm-engine.service';
import { CustomCrmSettingsController } from './crm-settings.controller';
import { CustomCrmSettingsRepository } from './crm-settings.repository';
import { CustomCrmSettingsService } from './crm-settings.service';

/** The generic custom-CRM engine (CS1–CS3): per-tenant settings and endpoint calls. */
@Module({
  controllers: [CustomCrmSettingsController],
  providers: [CustomCrmSettingsRepository, CustomCrmSettingsService, CrmEngineService],
  exports: [CrmEngineService, CustomCrmSettingsService],
})
export class CrmEngineModule {}
