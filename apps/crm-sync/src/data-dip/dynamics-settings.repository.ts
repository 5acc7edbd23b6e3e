import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { DynamicsSettings } from '../generated/prisma/client';

export type DynamicsSettingsRow = DynamicsSettings;
export type DynamicsSettingsValues = Omit<DynamicsSettings, 'tenantId' | 'updatedAt'>;

/** crm_sync.dynamics_settings: one row per tenant, the client secret sealed. */
@Injectable()
export class DynamicsSettingsRepository {
  constructor(private readonly database: PrismaService) {}

  find(tenantId: string): Promise<DynamicsSettingsRow | null> {
    return this.database.dynamicsSettings.findUnique({ where: { tenantId } });
  }

  save(tenantId: string, values: DynamicsSettingsValues): Promise<DynamicsSettingsRow> {
    return this.database.dynamicsSettings.upsert({ where: { tenantId }, create: { tenantId, ...values }, update: values });
  }
}
