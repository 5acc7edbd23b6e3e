import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { EngagementConfiguration, Prisma } from '../generated/prisma/client';

export type NewConfiguration = Prisma.EngagementConfigurationUncheckedCreateInput;
export type ConfigurationChanges = Prisma.EngagementConfigurationUpdateManyMutationInput;

/** Engagement configurations (PD2), always looked up within a tenant. */
@Injectable()
export class ConfigurationsRepository {
  constructor(private readonly database: PrismaService) {}

  create(row: NewConfiguration): Promise<EngagementConfiguration> {
    return this.database.engagementConfiguration.create({ data: row });
  }

  /** The tenant's configurations by name; at most `limit`. */
  list(tenantId: string, limit: number): Promise<EngagementConfiguration[]> {
    return this.database.engagementConfiguration.findMany({ where: { tenantId }, orderBy: { name: 'asc' }, take: limit });
  }

  find(tenantId: string, id: string): Promise<EngagementConfiguration | null> {
    return this.database.engagementConfiguration.findUnique({ where: { tenantId_id: { tenantId, id } } });
  }

  /** False when the tenant has no such configuration. */
  async update(tenantId: string, id: string, changes: ConfigurationChanges): Promise<boolean> {
    const { count } = await this.database.engagementConfiguration.updateMany({ where: { tenantId, id }, data: changes });
    return count > 0;
  }

  countDeliveries(tenantId: string, id: string): Promise<number> {
    return this.database.delivery.count({ where: { tenantId, configurationId: id } });
  }

  async delete(tenantId: string, id: string): Promise<void> {
    await this.database.engagementConfiguration.deleteMany({ where: { tenantId, id } });
  }
}
