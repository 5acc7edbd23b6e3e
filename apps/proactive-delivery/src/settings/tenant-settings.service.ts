import { Injectable } from '@nestjs/common';
import { ProactiveDeliveryConfig } from '../config';
import type { ProactiveDeliveryTx } from '../database/prisma.service';
import { shortLivedCache } from '../common/short-lived-cache';
import type { TenantDialingSettings } from './tenant-dialing-settings.schema';
import { TenantSettingsRepository } from './tenant-settings.repository';

/** Tenant-wide dialing settings: the frequency cap and the idempotency period (PD1.5). */
@Injectable()
export class TenantSettingsService {
  private readonly defaults: TenantDialingSettings;
  private readonly recent = shortLivedCache<TenantDialingSettings>();

  constructor(
    private readonly repository: TenantSettingsRepository,
    config: ProactiveDeliveryConfig,
  ) {
    this.defaults = {
      frequencyCap: { maxAttempts: config.DEFAULT_FREQUENCY_CAP_ATTEMPTS, periodHours: config.DEFAULT_FREQUENCY_CAP_PERIOD_HOURS },
      idempotencyPeriodSeconds: config.DEFAULT_IDEMPOTENCY_PERIOD_SECONDS,
      phoneNumberValidation: 'strict',
    };
  }

  /** The tenant's settings, or the configured defaults until an administrator sets them; `db` may be a transaction. */
  async effective(tenantId: string, db?: ProactiveDeliveryTx): Promise<TenantDialingSettings> {
    const row = await this.repository.find(tenantId, db);
    if (!row) return this.defaults;
    return {
      frequencyCap: { maxAttempts: row.frequencyCapAttempts, periodHours: row.frequencyCapPeriodHours },
      idempotencyPeriodSeconds: row.idempotencyPeriodSeconds,
      phoneNumberValidation: row.phoneNumberValidation === 'lenient' ? 'lenient' : 'strict',
    };
  }

  /** For the create API's hot path: at most READ_CACHE_TTL_MS old. Decisions that must be exact read effective(). */
  async recentlyRead(tenantId: string): Promise<TenantDialingSettings> {
    return this.recent.get(tenantId, () => this.effective(tenantId));
  }

  async replace(tenantId: string, settings: TenantDialingSettings): Promise<TenantDialingSettings> {
    this.recent.forget(tenantId);
    await this.repository.save(tenantId, {
      frequencyCapAttempts: settings.frequencyCap.maxAttempts,
      frequencyCapPeriodHours: settings.frequencyCap.periodHours,
      idempotencyPeriodSeconds: settings.idempotencyPeriodSeconds,
      phoneNumberValidation: settings.phoneNumberValidation,
    });
    return this.effective(tenantId);
  }
}
