import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { shortLivedCache } from '../common/short-lived-cache';
import { VOICE_RUNTIME_REGISTRY, VoiceRuntimeRegistry } from '../voice-runtime/voice-runtime';
import { ConfigurationView, toColumns, toView } from './configuration.mapper';
import { ConfigurationsRepository, type NewConfiguration } from './configurations.repository';
import { ConfigurationPatch, ProactiveEngagementConfiguration } from './configuration.schema';

/** Proactive engagement configurations (PD2), always within the caller's tenant. */
@Injectable()
export class ConfigurationsService {
  private readonly recent = shortLivedCache<ConfigurationView>();

  constructor(
    private readonly configurations: ConfigurationsRepository,
    @Inject(VOICE_RUNTIME_REGISTRY) private readonly providers: VoiceRuntimeRegistry,
  ) {}

  async create(tenantId: string, input: ProactiveEngagementConfiguration): Promise<ConfigurationView> {
    this.assertProviderKnown(input.outboundProfile?.providerName);
    // toColumns(input) holds every column when given a whole configuration.
    const row = await this.configurations.create({ id: randomUUID(), tenantId, ...toColumns(input) } as NewConfiguration);
    return toView(row);
  }

  async list(tenantId: string): Promise<ConfigurationView[]> {
    const rows = await this.configurations.list(tenantId, 1_000);
    return rows.map(toView);
  }

  /** Another tenant's configuration answers exactly like a missing one (P1.1). */
  async get(tenantId: string, id: string): Promise<ConfigurationView> {
    const row = await this.configurations.find(tenantId, id);
    if (!row) throw notFound(id);
    return toView(row);
  }

  /** For the create API's hot path: at most READ_CACHE_TTL_MS old (see short-lived-cache). */
  async recentlyRead(tenantId: string, id: string): Promise<ConfigurationView> {
    return this.recent.get(`${tenantId}:${id}`, () => this.get(tenantId, id));
  }

  async update(tenantId: string, id: string, patch: ConfigurationPatch): Promise<ConfigurationView> {
    this.assertProviderKnown(patch.outboundProfile?.providerName);
    this.recent.forget(`${tenantId}:${id}`);
    if (!(await this.configurations.update(tenantId, id, toColumns(patch)))) throw notFound(id);
    return this.get(tenantId, id);
  }

  async remove(tenantId: string, id: string): Promise<void> {
    await this.get(tenantId, id);
    const deliveries = await this.configurations.countDeliveries(tenantId, id);
    if (deliveries > 0) {
      throw new ConflictException({
        code: 'ConfigurationInUse',
        message: `Configuration ${id} has ${deliveries} deliveries; disable it (enabled: false) instead of deleting it`,
      });
    }
    this.recent.forget(`${tenantId}:${id}`);
    await this.configurations.delete(tenantId, id);
  }

  private assertProviderKnown(providerName: string | undefined): void {
    if (providerName === undefined || this.providers.get(providerName)) return;
    throw new BadRequestException({
      message: `outboundProfile.providerName: unknown voice runtime "${providerName}" (available: ${this.providers.names().join(', ') || 'none'})`,
      details: [{ field: 'outboundProfile.providerName', message: `must be one of: ${this.providers.names().join(', ')}` }],
    });
  }
}

function notFound(id: string): NotFoundException {
  return new NotFoundException({ code: 'ConfigurationNotFound', message: `No proactive engagement configuration ${id}` });
}
