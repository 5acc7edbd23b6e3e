import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { OutboundChannel, Prisma } from '../generated/prisma/client';

export interface ChannelValues {
  name: string;
  channelType: string;
  provider: string;
  sender: string;
  senderType: string;
  messagesPerSecond: number;
  helpText: string | null;
  providerAccount: Record<string, string>;
  credentialsSealed: string | null;
}

/** outbound_messaging.outbound_channel, always within one tenant. */
@Injectable()
export class ChannelsRepository {
  constructor(private readonly database: PrismaService) {}

  create(tenantId: string, values: ChannelValues): Promise<OutboundChannel> {
    return this.database.outboundChannel.create({ data: { tenantId, ...columns(values) } });
  }

  find(tenantId: string, id: string): Promise<OutboundChannel | null> {
    return this.database.outboundChannel.findFirst({ where: { tenantId, id } });
  }

  /** For provider webhooks, which name a channel but no tenant (the channel's signature is their check). */
  findAnyTenant(id: string): Promise<OutboundChannel | null> {
    return this.database.outboundChannel.findUnique({ where: { id } });
  }

  list(tenantId: string): Promise<OutboundChannel[]> {
    return this.database.outboundChannel.findMany({ where: { tenantId }, orderBy: { name: 'asc' }, take: 1_000 });
  }

  async replace(tenantId: string, id: string, values: ChannelValues): Promise<boolean> {
    const { count } = await this.database.outboundChannel.updateMany({ where: { tenantId, id }, data: columns(values) });
    return count > 0;
  }

  async isUsed(tenantId: string, id: string): Promise<boolean> {
    return (await this.database.outboundConfiguration.count({ where: { tenantId, channelId: id } })) > 0;
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const { count } = await this.database.outboundChannel.deleteMany({ where: { tenantId, id } });
    return count > 0;
  }
}

function columns(values: ChannelValues) {
  return { ...values, providerAccount: values.providerAccount as Prisma.InputJsonValue };
}
