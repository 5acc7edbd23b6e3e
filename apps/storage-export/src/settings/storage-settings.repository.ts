import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Prisma, StorageSettings } from '../generated/prisma/client';

export type StorageSettingsRow = StorageSettings;
export type StorageSettingsValues = Omit<Prisma.StorageSettingsUncheckedCreateInput, 'tenantId' | 'updatedAt'>;

/** storage_export.storage_settings: one row per tenant, the destination's secrets sealed. */
@Injectable()
export class StorageSettingsRepository {
  constructor(private readonly database: PrismaService) {}

  find(tenantId: string): Promise<StorageSettingsRow | null> {
    return this.database.storageSettings.findUnique({ where: { tenantId } });
  }

  save(tenantId: string, values: StorageSettingsValues): Promise<StorageSettingsRow> {
    return this.database.storageSettings.upsert({ where: { tenantId }, create: { tenantId, ...values }, update: values });
  }
}
