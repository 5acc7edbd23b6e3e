import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { MessageTemplate, OutboundChannel, OutboundConfiguration } from '../generated/prisma/client';
import type { ConfigurationInput } from './configurations.schema';

export type ConfigurationWithParts = OutboundConfiguration & { channel: OutboundChannel; template: MessageTemplate };

/** outbound_messaging.outbound_configuration, always within one tenant. */
@Injectable()
export class ConfigurationsRepository {
  constructor(private readonly database: PrismaService) {}

  create(tenantId: string, input: ConfigurationInput): Promise<OutboundConfiguration> {
    return this.database.outboundConfiguration.create({ data: { tenantId, ...input } });
  }

  find(tenantId: string, id: string): Promise<OutboundConfiguration | null> {
    return this.database.outboundConfiguration.findFirst({ where: { tenantId, id } });
  }

  /** The configuration with its channel and template, as sending needs them. */
  findWithParts(tenantId: string, id: string): Promise<ConfigurationWithParts | null> {
    return this.database.outboundConfiguration.findFirst({ where: { tenantId, id }, include: { channel: true, template: true } });
  }

  list(tenantId: string): Promise<OutboundConfiguration[]> {
    return this.database.outboundConfiguration.findMany({ where: { tenantId }, orderBy: { name: 'asc' }, take: 1_000 });
  }

  async replace(tenantId: string, id: string, input: ConfigurationInput): Promise<boolean> {
    const { count } = await this.database.outboundConfiguration.updateMany({ where: { tenantId, id }, data: input });
    return count > 0;
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const { count } = await this.database.outboundConfiguration.deleteMany({ where: { tenantId, id } });
    return count > 0;
  }

  /** The channel types of the tenant's channel and template of these ids (undefined: no such one). */
  async partTypes(tenantId: string, channelId: string, templateId: string): Promise<{ channel?: string; template?: string }> {
    const [channel, template] = await Promise.all([
      this.database.outboundChannel.findFirst({ where: { tenantId, id: channelId }, select: { channelType: true } }),
      this.database.messageTemplate.findFirst({ where: { tenantId, id: templateId }, select: { channelType: true } }),
    ]);
    return { channel: channel?.channelType, template: template?.channelType };
  }
}
