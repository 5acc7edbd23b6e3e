import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG } from '@switchboard/service-kit';
import type { ProactiveDeliveryConfig } from '../config';
import { PrismaService, type ProactiveDeliveryTx } from '../database/prisma.service';
import type { TenantDialingSettings } from './tenant-dialing-settings.schema';

/** Where settings are read from: the PrismaService or an interactive transaction's client. */
export type TenantSettingsReader = Pick<ProactiveDeliveryTx, 'tenantDialingSettings'>;

/** Tenant-wide dialing settings: the frequency cap and the idempotency period (PD1.5). */
@Injectable()
export class TenantSettingsService {
  private readonly defaults: TenantDialingSettings;

  constructor(
    private readonly prisma: PrismaService,
    @Inject(SERVICE_CONFIG) config: ProactiveDeliveryConfig,
  ) {
    this.defaults = {
      frequencyCap: { maxAttempts: config.DEFAULT_FREQUENCY_CAP_ATTEMPTS, periodHours: config.DEFAULT_FREQUENCY_CAP_PERIOD_HOURS },
      idempotencyPeriodSeconds: config.DEFAULT_IDEMPOTENCY_PERIOD_SECONDS,
      phoneNumberValidation: 'strict',
    };
  }

  /** The tenant's settings, or the configured defaults until an administrator sets them. */
  async effective(tenantId: string, db: TenantSettingsReader = this.prisma): Promise<TenantDialingSettings> {
    const row = await db.tenantDialingSettings.findUnique({ where: { tenantId } });
    if (!row) return this.defaults;
    return {
      frequencyCap: { maxAttempts: row.frequencyCapAttempts, periodHours: row.frequencyCapPeriodHours },
      idempotencyPeriodSeconds: row.idempotencyPeriodSeconds,
      phoneNumberValidation: row.phoneNumberValidation === 'lenient' ? 'lenient' : 'strict',
    };
  }

  async replace(tenantId: string, settings: TenantDialingSettings): Promise<TenantDialingSettings> {
    const values = {
      frequencyCapAttempts: settings.frequencyCap.maxAttempts,
      frequencyCapPeriodHours: settings.frequencyCap.periodHours,
      idempotencyPeriodSeconds: settings.idempotencyPeriodSeconds,
      phoneNumberValidation: settings.phoneNumberValidation,
    };
    await this.prisma.tenantDialingSettings.upsert({ where: { tenantId }, create: { tenantId, ...values }, update: values });
    return this.effective(tenantId);
  }
}
