import { Module } from '@nestjs/common';
import { CrmOAuthTokens } from '../oauth/crm-oauth-tokens';
import { CrmEngineService } from './crm-engine.service';
import { CustomCrmSettingsController } from './crm-settings.controller';
import { CustomCrmSettingsRepository } from './crm-settings.repository';
import { CustomCrmSettingsService } from './crm-settings.service';
import { DryRunController } from './dry-run.controller';
import { DryRunService } from './dry-run.service';

/** The generic custom-CRM engine (CS1–CS3): per-tenant settings, endpoint calls and the dry run. */
@Module({
  controllers: [CustomCrmSettingsController, DryRunController],
  providers: [CustomCrmSettingsRepository, CustomCrmSettingsService, CrmEngineService, DryRunService, CrmOAuthTokens],
  exports: [CrmEngineService, CustomCrmSettingsService, CrmOAuthTokens],
})
export class CrmEngineModule {}
