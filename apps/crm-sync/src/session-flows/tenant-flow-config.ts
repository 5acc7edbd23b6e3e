import { Injectable, NotFoundException } from '@nestjs/common';
import type { CrmEndpointKind } from '../crm-engine/crm-endpoint';
import { CustomCrmSettingsService } from '../crm-engine/crm-settings.service';
import type { CrmLookups } from './flow-pops';
import type { FlowSettings } from './flow-settings.schema';
import { FlowSettingsRepository } from './flow-settings.repository';

/** What a tenant's flows are driven by: its flow settings, and its custom CRM when it has one. */
export interface TenantFlowConfig {
  settings: FlowSettings;
  crm?: CrmLookups & { endpoints: ReadonlySet<CrmEndpointKind> };
}

@Injectable()
export class TenantFlowConfigLoader {
  constructor(
    private readonly flowSettings: FlowSettingsRepository,
    private readonly crmSettings: CustomCrmSettingsService,
  ) {}

  async load(tenantId: string): Promise<TenantFlowConfig> {
    const settings = await this.flowSettings.find(tenantId);
    try {
      const crm = await this.crmSettings.view(tenantId);
      const endpoints = new Set(Object.keys(crm.endpoints) as CrmEndpointKind[]);
      return { settings, crm: { endpoints, accountLookupUrl: crm.accountLookupUrl, recordLookupUrl: crm.recordLookupUrl, recordExpected: endpoints.has('createRecord') } };
    } catch (error) {
      // A tenant without a custom CRM still gets its custom lookup URL pops (CS5).
      if (error instanceof NotFoundException) return { settings };
      throw error;
    }
  }
}
