import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { OutboundMessage, Prisma } from '../generated/prisma/client';
import type { MessageCounts, MessageCountsQuery, MessageListQuery } from './reporting.schema';

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

  async counts(tenantId: string, query: MessageCountsQuery): Promise<MessageCounts['groups']> {
    const groups = await this.database.outboundMessage.groupBy({ by: ['configurationId', 'channelType', 'status'], where: whereOf(tenantId, query), _count: { _all: true }, orderBy: [{ configurationId: 'asc' }, { channelType: 'asc' }, { status: 'asc' }] });
    return groups.map((group) => ({ configurationId: group.configurationId, channelType: group.channelType, status: group.status, count: group._count._all }));
  }

  /** Messages of configurations that show in the timeline (so each has its configuration). */
  async timeline(tenantId: string, toNumber: string, limit: number): Promise<(OutboundMessage & { configurationId: string })[]> {
    const rows = await this.database.outboundMessage.findMany({ where: { tenantId, toNumber, inTimeline: true, configurationId: { not: null } }, orderBy: { createdAt: 'desc' }, take: limit });
    return rows.filter((row): row is OutboundMessage & { configurationId: string } => row.configurationId !== null);
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
