import { Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ExportSettings } from '../export-settings';
import { ExportSettingsSource } from '../export-settings';

/**
 * Tenants' export settings held in memory, for the pipeline's tests: the settings API (and its sealed
 * table) is the settings feature's, tested there; here a test states what a tenant has configured.
 */
export class TestExportSettings extends ExportSettingsSource {
  private readonly byTenant = new Map<string, ExportSettings>();

  set(tenantId: string, settings: Omit<ExportSettings, 'revision'>): void {
    this.byTenant.set(tenantId, { ...settings, revision: randomUUID() });
  }

  async exportSettingsOf(tenantId: string): Promise<ExportSettings | undefined> {
    return this.byTenant.get(tenantId);
  }
}

export const testExportSettings = new TestExportSettings();

@Module({ providers: [{ provide: ExportSettingsSource, useValue: testExportSettings }], exports: [ExportSettingsSource] })
export class TestExportSettingsModule {}
