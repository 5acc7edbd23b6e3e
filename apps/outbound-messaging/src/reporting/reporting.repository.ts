import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { InboundMessage, OutboundMessage, Prisma } from '../generated/prisma/client';
import type { MessageCountsQuery, MessageListQuery } from './reporting.schema';

/** Reads of outbound_message for reports, always within one tenant. */
@Injectable()
export class ReportingRepository {
  constructor(private readonly database: PrismaService) {}

  async list(tenantId: string, query: MessageListQuery): Promise<{ rows: OutboundMessage[]; more: boolean }> {
    const rows = await this.database.outboundMessage.findMany({
      where: { ...whereOf(tenantId, query), ...(query.status && { status: query.status }), ...(query.cursor && { id: { gt: query.cursor.toLowerCase() } }) },
      orderBy: { id: 'asc' },
      take: query.limit + 1,
    });
    return { rows: rows.slice(0, query.limit), more: rows.length > query.limit };
  }

  find(tenantId: string, id: string): Promise<OutboundMessage | null> {
    return this.database.outboundMessage.findFirst({ where: { tenantId, id } });
  }

  async counts(tenantId: string, query: MessageCountsQuery): Promise<{ configurationId: string | null; channelType: string; status: string; count: number }[]> {
    const groups = await this.database.outboundMessage.groupBy({ by: ['configurationId', 'channelType', 'status'], where: whereOf(tenantId, query), _count: { _all: true }, orderBy: [{ configurationId: 'asc' }, { channelType: 'asc' }, { status: 'asc' }] });
    return groups.map((group) => ({ configurationId: group.configurationId, channelType: group.channelType, status: group.status, count: group._count._all }));
  }

  timeline(tenantId: string, toNumber: string, limit: number): Promise<OutboundMessage[]> {
    return this.database.outboundMessage.findMany({ where: { tenantId, toNumber, inTimeline: true }, orderBy: { createdAt: 'desc' }, take: limit });
  }

  /** The customers' replies to these messages, oldest first. */
  replies(tenantId: string, messageIds: string[]): Promise<InboundMessage[]> {
    if (messageIds.length === 0) return Promise.resolve([]);
    return this.database.inboundMessage.findMany({ where: { tenantId, inReplyTo: { in: messageIds } }, orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }] });
  }
}

function whereOf(tenantId: string, query: MessageCountsQuery): Prisma.OutboundMessageWhereInput {
  return {
    tenantId,
    ...(query.configurationId && { configurationId: query.configurationId }),
    ...(query.channelType && { channelType: query.channelType }),
    ...((query.from || query.to) && { createdAt: { ...(query.from && { gte: query.from }), ...(query.to && { lt: query.to }) } }),
  };
}
