import { Injectable } from '@nestjs/common';
import { ConfigurationsService } from '../configurations/configurations.service';
import { CompiledTemplates } from '../templates/compiled-templates';
import type { ConfigurationForBatch } from './contact-batch';

/** A tenant's configuration with its template compiled (and cached), as contacts are judged against it. */
@Injectable()
export class ConfigurationLoader {
  private readonly templates = new CompiledTemplates();

  constructor(private readonly configurations: ConfigurationsService) {}

  /** undefined for a missing configuration and for another tenant's alike (P1.1). */
  async load(tenantId: string, id: string): Promise<ConfigurationForBatch | undefined> {
    const row = await this.configurations.withParts(tenantId, id);
    if (!row) return undefined;
    return { id: row.id, channelType: row.channelType as 'sms' | 'whatsapp', showInTimeline: row.showInTimeline, channelId: row.channelId, template: this.templates.of(row.template) };
  }
}
