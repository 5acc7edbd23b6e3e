import { Injectable } from '@nestjs/common';
import { Clock } from '@switchboard/clock';
import { ReadThroughCache } from '@switchboard/service-kit';
import { ConfigurationChanges } from '../configurations/configuration-changes';
import type { ConfigurationWithParts } from '../configurations/configurations.repository';
import { ConfigurationsService } from '../configurations/configurations.service';
import { CompiledTemplates } from '../templates/compiled-templates';
import type { ConfigurationForBatch } from './contact-batch';

/**
 * How old a configuration the invoke API judges contacts against may be: changes made through this process are
 * seen by the next request (ConfigurationChanges), changes made through another replica within this many
 * milliseconds. Consent (opt-outs, do-not-call) is never cached: it is read for every request.
 */
export const RECENT_CONFIGURATION_TTL_MS = 5_000;

/** A tenant's configuration with its template compiled (and cached), as contacts are judged against it. */
@Injectable()
export class ConfigurationLoader {
  private readonly templates = new CompiledTemplates();
  private readonly recentRows: ReadThroughCache<{ row: ConfigurationWithParts | null }>;

  constructor(
    private readonly configurations: ConfigurationsService,
    private readonly changes: ConfigurationChanges,
    clock: Clock,
  ) {
    this.recentRows = new ReadThroughCache({ ttlMs: RECENT_CONFIGURATION_TTL_MS, now: () => clock.now().getTime() });
  }

  /** undefined for a missing configuration and for another tenant's alike (P1.1). Read now: rules and schedules. */
  async load(tenantId: string, id: string): Promise<ConfigurationForBatch | undefined> {
    return this.forBatch(await this.configurations.withParts(tenantId, id));
  }

  /**
   * As load, at most RECENT_CONFIGURATION_TTL_MS old: the invoke API's hot path (the configuration, channel and template read saved per
   * request). A missing configuration is not remembered: it may be created on another replica at any moment.
   */
  async recent(tenantId: string, id: string): Promise<ConfigurationForBatch | undefined> {
    const key = `${tenantId}/${this.changes.version(tenantId)}/${id}`;
    const { row } = await this.recentRows.get(key, async () => ({ row: await this.configurations.withParts(tenantId, id) }));
    if (!row) this.recentRows.forget(key);
    return this.forBatch(row);
  }

  private forBatch(row: ConfigurationWithParts | null): ConfigurationForBatch | undefined {
    if (!row) return undefined;
    return { id: row.id, channelType: row.channelType as 'sms' | 'whatsapp', showInTimeline: row.showInTimeline, channelId: row.channelId, template: this.templates.of(row.template) };
  }
}
