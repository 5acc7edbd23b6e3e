import { Injectable } from '@nestjs/common';

/**
 * A per-tenant count of the writes made in this process to its configurations and templates. The invoke API's
 * cache of configurations keys its entries by it, so the next request after a change reads afresh (one tenant's
 * template change may touch any of its configurations; a new count makes every older entry unreachable at once).
 */
@Injectable()
export class ConfigurationChanges {
  private readonly counts = new Map<string, number>();

  changed(tenantId: string): void {
    this.counts.set(tenantId, this.version(tenantId) + 1);
  }

  version(tenantId: string): number {
    return this.counts.get(tenantId) ?? 0;
  }
}
