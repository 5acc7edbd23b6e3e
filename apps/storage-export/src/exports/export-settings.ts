import type { ExportFileKind } from '@switchboard/contracts';
import type { DestinationSettings } from '../destinations';

/** What the export pipeline needs of a tenant's storage settings (SE1.1, SE1.2, SE1.4). */
export interface ExportSettings {
  enabled: boolean;
  /** The kinds of file stored (SE1.1); others are not exported. */
  kinds: readonly ExportFileKind[];
  /** SE1.4: hand every exported file to crm-sync's upload too (storage.export.v1 FileForCrm). */
  sendToCrm: boolean;
  /** The backend with its secrets opened (memory only). */
  destination: DestinationSettings;
  /** Changes whenever the settings change (e.g. their updated-at): an open destination is reopened. */
  revision: string;
}

/** Where the pipeline reads a tenant's settings; the settings feature provides it. */
export abstract class ExportSettingsSource {
  /** The tenant's settings, or undefined when it has none. */
  abstract exportSettingsOf(tenantId: string): Promise<ExportSettings | undefined>;
}
