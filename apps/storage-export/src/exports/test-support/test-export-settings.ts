import { Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { DestinationFactory, type DestinationSettings, type StorageDestination } from '../../destinations';
import { DestinationsModule } from '../../destinations/destinations.module';
import { type ExportSettings, ExportSettingsSource, type ExportTarget } from '../export-settings';

export interface TestTenantSettings extends ExportSettings {
  destination: DestinationSettings;
}

/**
 * Tenants' export settings as a test states them, for the pipeline's tests (the settings API, its
 * probe and its sealed table are the settings feature's, tested there); destinations are the real
 * ones, opened by the service's DestinationFactory.
 */
class TestSettingsRegistry {
  private readonly byTenant = new Map<string, TestTenantSettings>();

  set(tenantId: string, settings: TestTenantSettings): void {
    this.byTenant.set(tenantId, settings);
  }

  get(tenantId: string): TestTenantSettings | undefined {
    return this.byTenant.get(tenantId);
  }
}

export const testExportSettings = new TestSettingsRegistry();

@Injectable()
class TestExportSettingsSource extends ExportSettingsSource implements OnApplicationShutdown {
  private readonly open = new Map<string, { settings: TestTenantSettings; destination: StorageDestination }>();

  constructor(private readonly factory: DestinationFactory) {
    super();
  }

  async exportSettingsOf(tenantId: string): Promise<ExportSettings | undefined> {
    return testExportSettings.get(tenantId);
  }

  async exportTargetOf(tenantId: string): Promise<ExportTarget | undefined> {
    const settings = testExportSettings.get(tenantId);
    if (!settings) return undefined;
    const current = this.open.get(tenantId);
    if (current?.settings === settings) return { settings, destination: current.destination };
    const destination = this.factory.open(settings.destination);
    this.open.set(tenantId, { settings, destination });
    return { settings, destination };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.open.values()].map(({ destination }) => destination.close().catch(() => undefined)));
  }
}

@Module({ imports: [DestinationsModule], providers: [{ provide: ExportSettingsSource, useClass: TestExportSettingsSource }], exports: [ExportSettingsSource] })
export class TestExportSettingsModule {}
