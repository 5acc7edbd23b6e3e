import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Prisma } from '../generated/prisma/client';
import { DEFAULT_FLOW_SETTINGS, type FlowSettings } from './flow-settings.schema';

export interface StoredFlowSettings extends FlowSettings {
  updatedAt?: string;
}

/** crm_sync.crm_flow_settings: one row per tenant; a tenant without one has the defaults. */
@Injectable()
export class FlowSettingsRepository {
  constructor(private readonly database: PrismaService) {}

  async find(tenantId: string): Promise<StoredFlowSettings> {
    const row = await this.database.crmFlowSettings.findUnique({ where: { tenantId } });
    if (!row) return DEFAULT_FLOW_SETTINGS;
    const records = row.records as Pick<FlowSettings, 'comments' | 'updateRecordOn'>;
    return {
      retryPolicy: row.retryPolicy as FlowSettings['retryPolicy'],
      delayRecordUntilAgentAssigned: row.delayRecordUntilAgentAssigned,
      comments: records.comments,
      updateRecordOn: records.updateRecordOn,
      lookupUrls: row.lookupUrls as FlowSettings['lookupUrls'],
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  async save(tenantId: string, settings: FlowSettings): Promise<StoredFlowSettings> {
    const columns = {
      retryPolicy: settings.retryPolicy,
      delayRecordUntilAgentAssigned: settings.delayRecordUntilAgentAssigned,
      records: { comments: settings.comments, updateRecordOn: settings.updateRecordOn } as Prisma.InputJsonValue,
      lookupUrls: settings.lookupUrls as Prisma.InputJsonValue,
    };
    const row = await this.database.crmFlowSettings.upsert({ where: { tenantId }, create: { tenantId, ...columns }, update: columns });
    return { ...settings, updatedAt: row.updatedAt.toISOString() };
  }
}
