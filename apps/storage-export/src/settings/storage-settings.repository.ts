import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Prisma, StorageSettings } from '../generated/prisma/client';

export type StorageSettingsRow = StorageSettings;
export type StorageSettingsValues = Omit<Prisma.StorageSettingsUncheckedCreateInput, 'tenantId' | 'updatedAt'>;

/** storage_settings' columns under the model's field names. */
const FIND_STORAGE_SETTINGS = `SELECT tenant_id AS "tenantId", enabled, file_kinds AS "fileKinds", folder_path AS "folderPath", also_send_to_crm AS "alsoSendToCrm",
  url_source AS "urlSource", backend, destination, secrets_sealed AS "secretsSealed", updated_at AS "updatedAt"
  FROM storage_settings WHERE tenant_id = $1`;

/** storage_export.storage_settings: one row per tenant, the destination's secrets sealed. */
@Injectable()
export class StorageSettingsRepository {
  constructor(private readonly database: PrismaService) {}

  /** Plain SQL: every export job and every planned session reads the row, and Prisma's query layer cost more CPU than the read (npm run bench:export). */
  async find(tenantId: string): Promise<StorageSettingsRow | null> {
    const [row] = await this.database.sql.queryPrepared<StorageSettingsRow>('storage_export.find_storage_settings', FIND_STORAGE_SETTINGS, [tenantId]);
    return row ?? null;
  }

  save(tenantId: string, values: StorageSettingsValues): Promise<StorageSettingsRow> {
    return this.database.storageSettings.upsert({ where: { tenantId }, create: { tenantId, ...values }, update: values });
  }
}
