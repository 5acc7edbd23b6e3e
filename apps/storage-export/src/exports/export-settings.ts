import type { ExportFileKind } from '@switchboard/contracts';
import type { StorageDestination } from '../destinations';

/** What the export pipeline needs of a tenant's storage settings (SE1.1, SE1.4). */
export interface ExportSettings {
  enabled: boolean;
  /** The kinds of file stored (SE1.1); others are not exported. */
  kinds: readonly ExportFileKind[];
  /** SE1.4: hand every exported file to crm-sync's upload too (storage.export.v1 FileForCrm). */
  sendToCrm: boolean;
}

/** Where the pipeline reads a tenant's settings and gets its open destination; the settings feature provides it. */
export abstract class ExportSettingsSource {
  /** The tenant's settings, or undefined when it has none. */
  abstract exportSettingsOf(tenantId: string): Promise<ExportSettings | undefined>;
  /**
   * The tenant's settings with its destination (kept open between files, reopened when the settings change),
   * from one read: an export job asks once. Undefined when the tenant has no settings.
   */
  abstract exportTargetOf(tenantId: string): Promise<ExportTarget | undefined>;
}

export interface ExportTarget {
  settings: ExportSettings;
  destination: StorageDestination;
}
