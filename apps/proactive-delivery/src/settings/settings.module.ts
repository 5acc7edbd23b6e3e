import { Module } from '@nestjs/common';
import { TenantSettingsController } from './tenant-settings.controller';
import { TenantSettingsRepository } from './tenant-settings.repository';
import { TenantSettingsService } from './tenant-settings.service';

/** Tenant dialing settings: the frequency cap the dispatcher applies, the idempotency period and phone-number validation of creation. */
@Module({ controllers: [TenantSettingsController], providers: [TenantSettingsRepository, TenantSettingsService], exports: [TenantSettingsService] })
export class SettingsModule {}
