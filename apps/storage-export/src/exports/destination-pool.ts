import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DestinationFactory, type StorageDestination } from '../destinations';
import type { ExportSettings } from './export-settings';

interface OpenDestination {
  revision: string;
  destination: StorageDestination;
}

/**
 * One open destination per tenant, reused by every export of that tenant (SFTP sessions and HTTP
 * connections stay open between files) and reopened when the tenant's settings change.
 */
@Injectable()
export class DestinationPool implements OnApplicationShutdown {
  private readonly logger = new Logger('DestinationPool');
  private readonly open = new Map<string, OpenDestination>();

  constructor(private readonly factory: DestinationFactory) {}

  for(tenantId: string, settings: ExportSettings): StorageDestination {
    const current = this.open.get(tenantId);
    if (current?.revision === settings.revision) return current.destination;
    if (current) this.closeQuietly(current.destination);
    const destination = this.factory.open(settings.destination);
    this.open.set(tenantId, { revision: settings.revision, destination });
    return destination;
  }

  async onApplicationShutdown(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map(({ destination }) => destination.close().catch(() => undefined)));
  }

  private closeQuietly(destination: StorageDestination): void {
    destination.close().catch((error: unknown) => this.logger.warn(`closing a replaced destination failed: ${(error as Error).message}`));
  }
}
