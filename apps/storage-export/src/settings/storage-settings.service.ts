import { Injectable, NotFoundException, type OnApplicationShutdown, UnprocessableEntityException } from '@nestjs/common';
import { SecretBox } from '@switchboard/persistence';
import { ValidationFailed } from '@switchboard/service-kit';
import { StorageExportConfig } from '../config';
import { DestinationError, type DestinationErrorKind, DestinationFactory, type StorageDestination } from '../destinations';
import { type DestinationSecrets, flattenDestination, mergeSecrets, openedSettings, secretFlags, splitSecrets } from './destination-secrets';
import { type StorageSettingsRow, StorageSettingsRepository } from './storage-settings.repository';
import type { DestinationInput, FileKind, StorageSettingsInput, StorageSettingsView, UrlSource } from './storage-settings.schema';

/** The stable error code of each Connect-and-save failure (SE1.3), answered with 422. */
const CONNECT_ERROR_CODES: Record<DestinationErrorKind, string> = {
  auth_refused: 'AuthRefused',
  host_unreachable: 'HostUnreachable',
  host_key_mismatch: 'HostKeyMismatch',
  permission_denied: 'PermissionDenied',
  bucket_missing: 'BucketMissing',
  folder_missing: 'FolderMissing',
  address_refused: 'AddressNotAllowed',
  timeout: 'HostUnreachable',
  connection_lost: 'ConnectionLost',
  checksum_mismatch: 'ProbeFailed',
  invalid_path: 'ProbeFailed',
  source_failed: 'ProbeFailed',
  unexpected: 'ProbeFailed',
};

/** What the export pipeline needs to know of a tenant's settings (no secrets). */
export interface ExportSettings {
  tenantId: string;
  enabled: boolean;
  fileKinds: FileKind[];
  folderPath: string;
  alsoSendToCrm: boolean;
  urlSource: UrlSource;
  backend: DestinationInput['backend'];
  /** Changes whenever the settings are saved. */
  version: number;
}

/**
 * Per-tenant storage-export settings (SE1): Connect and save probes the submitted destination with a
 * probe file and saves only when that works (SE1.3); secrets sealed at rest and write-only (P2.4).
 * Also hands the export pipeline each tenant's destination, kept open between files.
 */
@Injectable()
export class StorageSettingsService implements OnApplicationShutdown {
  private readonly box: SecretBox;
  /** Open destinations per tenant, for the settings version they were opened with. */
  private readonly open = new Map<string, { version: number; destination: StorageDestination }>();

  constructor(
    private readonly repository: StorageSettingsRepository,
    private readonly destinations: DestinationFactory,
    config: StorageExportConfig,
  ) {
    this.box = new SecretBox(config.SECRETS_ENCRYPTION_KEY);
  }

  async view(tenantId: string): Promise<StorageSettingsView> {
    const row = await this.repository.find(tenantId);
    if (!row) throw notConfigured();
    return viewOf(row, this.secretsOf(row));
  }

  /** SE1.3 Connect and save: probe with the submitted settings (stored secrets filled in), save on success only. */
  async connectAndSave(tenantId: string, input: StorageSettingsInput): Promise<StorageSettingsView> {
    const existing = await this.repository.find(tenantId);
    const destination = flattenDestination(input.destination);
    const { shown: submittedShown, secrets: submitted } = splitSecrets(destination);
    const secrets = mergeSecrets(destination, submitted, existing ? { shown: existing.destination as Record<string, unknown>, secrets: this.secretsOf(existing) } : undefined);
    requireCredentials(input.destination.backend, secrets);
    // A kept GCS key keeps the key file's project and key id shown beside it.
    const shown = keptKeyFields(submittedShown, existing?.destination as Record<string, unknown> | undefined, submitted['privateKey'] !== undefined);

    await this.probe(openedSettings(shown, secrets, input.folderPath));
    const row = await this.repository.save(tenantId, {
      enabled: input.enabled,
      fileKinds: input.fileKinds,
      folderPath: input.folderPath,
      alsoSendToCrm: input.alsoSendToCrm,
      urlSource: input.urlSource,
      backend: input.destination.backend,
      destination: shown as object,
      secretsSealed: this.box.seal(JSON.stringify(secrets)),
    });
    await this.forget(tenantId);
    return viewOf(row, secrets);
  }

  /** The tenant's export settings, or undefined when none are saved. */
  async exportSettingsFor(tenantId: string): Promise<ExportSettings | undefined> {
    const row = await this.repository.find(tenantId);
    return row ? exportSettingsOf(row) : undefined;
  }

  /**
   * The tenant's destination, opened once and shared by every export until the settings change
   * (then the old one is closed). Undefined when the tenant has no settings.
   */
  async destinationFor(tenantId: string): Promise<StorageDestination | undefined> {
    const row = await this.repository.find(tenantId);
    return row ? this.destinationOf(row) : undefined;
  }

  /** The settings and the open destination from one read of the row: an export job's only settings statement. */
  async exportTargetFor(tenantId: string): Promise<{ settings: ExportSettings; destination: StorageDestination } | undefined> {
    const row = await this.repository.find(tenantId);
    return row ? { settings: exportSettingsOf(row), destination: this.destinationOf(row) } : undefined;
  }

  private destinationOf(row: StorageSettingsRow): StorageDestination {
    const tenantId = row.tenantId;
    const version = row.updatedAt.getTime();
    const current = this.open.get(tenantId);
    if (current?.version === version) return current.destination;
    const destination = this.destinations.open(openedSettings(row.destination as Record<string, unknown>, this.secretsOf(row), row.folderPath));
    this.open.set(tenantId, { version, destination });
    if (current) void current.destination.close().catch(() => undefined);
    return destination;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.open.keys()].map((tenantId) => this.forget(tenantId)));
  }

  private async probe(settings: ReturnType<typeof openedSettings>): Promise<void> {
    const destination = this.destinations.open(settings);
    try {
      await destination.probe();
    } catch (error) {
      if (!(error instanceof DestinationError)) throw error;
      throw new UnprocessableEntityException({ code: CONNECT_ERROR_CODES[error.kind], message: `Connect and save failed, nothing was saved: ${error.message}`, details: [{ kind: error.kind }] });
    } finally {
      await destination.close().catch(() => undefined);
    }
  }

  private async forget(tenantId: string): Promise<void> {
    const current = this.open.get(tenantId);
    this.open.delete(tenantId);
    await current?.destination.close().catch(() => undefined);
  }

  private secretsOf(row: StorageSettingsRow): DestinationSecrets {
    return JSON.parse(this.box.open(row.secretsSealed)) as DestinationSecrets;
  }
}

function requireCredentials(backend: DestinationInput['backend'], secrets: DestinationSecrets): void {
  if (backend === 'sftp' && !secrets['password'] && !secrets['privateKey']) {
    throw new ValidationFailed([{ field: 'destination.password', message: 'a password or a privateKey is required (stored ones are kept only for the same host, port and user)' }]);
  }
  if (backend === 's3' && !secrets['secretAccessKey']) {
    throw new ValidationFailed([{ field: 'destination.secretAccessKey', message: 'secretAccessKey is required (a stored one is kept only for the same endpoint, bucket and access key id)' }]);
  }
  if (backend === 'gcs' && !secrets['privateKey']) {
    throw new ValidationFailed([{ field: 'destination.serviceAccountKey', message: 'the service account JSON key is required (a stored one is kept only for the same bucket and clientEmail)' }]);
  }
}

function keptKeyFields(shown: Record<string, unknown>, stored: Record<string, unknown> | undefined, keyWasSubmitted: boolean): Record<string, unknown> {
  if (shown['backend'] !== 'gcs' || keyWasSubmitted || shown['privateKeyId'] !== undefined || !stored) return shown;
  return { ...shown, projectId: stored['projectId'], privateKeyId: stored['privateKeyId'] };
}

function exportSettingsOf(row: StorageSettingsRow): ExportSettings {
  return {
    tenantId: row.tenantId,
    enabled: row.enabled,
    fileKinds: row.fileKinds as FileKind[],
    folderPath: row.folderPath,
    alsoSendToCrm: row.alsoSendToCrm,
    urlSource: row.urlSource as UrlSource,
    backend: row.backend as DestinationInput['backend'],
    version: row.updatedAt.getTime(),
  };
}

function viewOf(row: StorageSettingsRow, secrets: DestinationSecrets): StorageSettingsView {
  const backend = row.backend as DestinationInput['backend'];
  return {
    enabled: row.enabled,
    fileKinds: row.fileKinds as FileKind[],
    folderPath: row.folderPath,
    alsoSendToCrm: row.alsoSendToCrm,
    urlSource: row.urlSource as UrlSource,
    destination: { ...(row.destination as Record<string, unknown>), backend, ...secretFlags(backend, secrets) },
    updatedAt: row.updatedAt.toISOString(),
  };
}

function notConfigured(): NotFoundException {
  return new NotFoundException({ code: 'StorageExportNotConfigured', message: 'This tenant has no storage-export settings; an administrator sets them with POST /storage-export/settings/connect' });
}
