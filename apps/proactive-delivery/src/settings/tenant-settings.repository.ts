import { Injectable } from '@nestjs/common';
import { PrismaService, type ProactiveDeliveryTx } from '../database/prisma.service';
import type { TenantDialingSettings } from '../generated/prisma/client';

export type TenantSettingsValues = Omit<TenantDialingSettings, 'tenantId' | 'updatedAt'>;

/** The tenant_dialing_settings row of a tenant: absent until an administrator sets it. */
@Injectable()
export class TenantSettingsRepository {
  constructor(private readonly database: PrismaService) {}

  find(tenantId: string, db: ProactiveDeliveryTx = this.database): Promise<TenantDialingSettings | null> {
    return db.tenantDialingSettings.findUnique({ where: { tenantId } });
  }

  async save(tenantId: string, values: TenantSettingsValues): Promise<void> {
    await this.database.tenantDialingSettings.upsert({ where: { tenantId }, create: { tenantId, ...values }, update: values });
  }
}
