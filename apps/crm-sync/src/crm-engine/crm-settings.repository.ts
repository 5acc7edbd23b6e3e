import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { CustomCrmSettings, Prisma } from '../generated/prisma/client';
import type { StoredAuth } from './crm-connection';
import type { CrmEndpointKind, CrmEndpointSettings } from './crm-endpoint';

/** A row with its JSON columns typed: they are only ever written through save(), from validated settings. */
export interface CustomCrmSettingsRow extends Omit<CustomCrmSettings, 'auth' | 'endpoints'> {
  auth: StoredAuth;
  endpoints: Partial<Record<CrmEndpointKind, CrmEndpointSettings>>;
}
export type CustomCrmSettingsValues = Omit<CustomCrmSettingsRow, 'tenantId' | 'updatedAt'>;

/** crm_sync.custom_crm_settings: one row per tenant, the authentication secrets sealed. */
@Injectable()
export class CustomCrmSettingsRepository {
  constructor(private readonly database: PrismaService) {}

  async find(tenantId: string): Promise<CustomCrmSettingsRow | null> {
    return typed(await this.database.customCrmSettings.findUnique({ where: { tenantId } }));
  }

  async save(tenantId: string, values: CustomCrmSettingsValues): Promise<CustomCrmSettingsRow> {
    const columns = { ...values, auth: values.auth as unknown as Prisma.InputJsonValue, endpoints: values.endpoints as Prisma.InputJsonValue };
    return typed(await this.database.customCrmSettings.upsert({ where: { tenantId }, create: { tenantId, ...columns }, update: columns }));
  }

  /** Replaces only the sealed secrets (a refresh token from the connect flow or a rotation). */
  async saveSecrets(tenantId: string, authSecretSealed: string): Promise<void> {
    await this.database.customCrmSettings.update({ where: { tenantId }, data: { authSecretSealed } });
  }
}

function typed<R extends CustomCrmSettings | null>(row: R): R extends null ? CustomCrmSettingsRow | null : CustomCrmSettingsRow {
  return row as unknown as R extends null ? CustomCrmSettingsRow | null : CustomCrmSettingsRow;
}
