import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { parsePhoneNumber } from '@switchboard/contact-time';
import { ValidationFailed } from '@switchboard/service-kit';
import { lowerCaseGuid, parseNamed, ZodQuery } from '@switchboard/validation';
import type { InboundMessage, OutboundMessage } from '../generated/prisma/client';
import { ReportingRepository } from './reporting.repository';
import {
  type MessageCounts,
  type MessageCountsQuery,
  messageCountsQuery,
  type MessageDetail,
  type MessageListQuery,
  messageListQuery,
  type MessageView,
  type ReplyView,
  type TimelineActivity,
  type TimelineQuery,
  timelineQuery,
} from './reporting.schema';

const idParam = lowerCaseGuid();

@ApiTags('reporting')
@ApiBearerAuth()
@Roles(Role.OmnichannelSupervisor, Role.Administrator)
@Controller('outbound')
export class ReportingController {
  constructor(private readonly reports: ReportingRepository) {}

  @Get('messages')
  @ApiOperation({ summary: 'Messages by configuration, channel type, status and creation time range [from, to), paged by cursor (OM5.3)' })
  async list(@TenantId() tenantId: string, @ZodQuery(messageListQuery) query: MessageListQuery): Promise<{ items: MessageView[]; nextCursor?: string }> {
    const { rows, more } = await this.reports.list(tenantId, query);
    const last = rows.at(-1);
    return { items: rows.map(toView), ...(more && last && { nextCursor: last.id }) };
  }

  @Get('messages/counts')
  @ApiOperation({ summary: 'Message counts per configuration, channel type and status over a time range (OM5.3)' })
  async counts(@TenantId() tenantId: string, @ZodQuery(messageCountsQuery) query: MessageCountsQuery): Promise<MessageCounts> {
    const groups = await this.reports.counts(tenantId, query);
    const byStatus: Record<string, number> = {};
    for (const group of groups) byStatus[group.status] = (byStatus[group.status] ?? 0) + group.count;
    return { total: groups.reduce((sum, group) => sum + group.count, 0), byStatus, groups };
  }

  @Get('messages/:id')
  @ApiOperation({ summary: "One message's tracking: status, provider message id, error (OM3.3), and the customer's replies to it (OM5.1)" })
  async get(@TenantId() tenantId: string, @Param('id') id: string): Promise<MessageDetail> {
    const row = await this.reports.find(tenantId, parseNamed('id', idParam, id));
    if (!row) throw new NotFoundException({ code: 'MessageNotFound', message: `No outbound message ${id}` });
    const replies = await this.reports.replies(tenantId, [row.id]);
    return { ...toView(row), replies: replies.map(toReplyView) };
  }

  @Get('timeline')
  @ApiOperation({ summary: "A customer's timeline activities, newest first: messages of configurations that show in the timeline, each with the customer's replies (OM2.2, OM5.3)" })
  async timeline(@TenantId() tenantId: string, @ZodQuery(timelineQuery) query: TimelineQuery): Promise<{ items: TimelineActivity[] }> {
    const phone = parsePhoneNumber(query.tocontactid);
    if (!phone.ok) throw new ValidationFailed([{ field: 'tocontactid', message: `tocontactid ${phone.reason}` }]);
    const rows = await this.reports.timeline(tenantId, phone.value.e164, query.limit);
    const replies = await this.reports.replies(tenantId, rows.map((row) => row.id));
    return {
      items: rows.map((row) => ({
        messageId: row.id,
        // Only configurations' messages show in the timeline (a HELP answer never does): each has its configuration.
        configurationId: row.configurationId as string,
        channelType: row.channelType,
        entityRelationshipName: row.entityRelationshipName,
        customerName: row.customerName,
        caseName: row.caseName,
        body: row.body,
        status: row.status,
        createdAt: row.createdAt.toISOString(),
        replies: replies.filter((reply) => reply.inReplyTo === row.id).map(toReplyView),
      })),
    };
  }
}

function toView(row: OutboundMessage): MessageView {
  const iso = (date: Date | null) => (date ? date.toISOString() : null);
  return {
    id: row.id,
    requestId: row.requestId,
    configurationId: row.configurationId,
    inAnswerTo: row.inAnswerTo,
    channelId: row.channelId,
    channelType: row.channelType,
    to: row.toNumber,
    status: row.status,
    statusReason: row.statusReason,
    locale: row.locale,
    segments: row.segments,
    providerMessageId: row.providerMessageId,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    attempts: row.attempts,
    createdAt: row.createdAt.toISOString(),
    sentAt: iso(row.sentAt),
    deliveredAt: iso(row.deliveredAt),
    failedAt: iso(row.failedAt),
  };
}

function toReplyView(row: InboundMessage): ReplyView {
  return { id: row.id, from: row.fromNumber, body: row.body, keywordAction: row.keywordAction, receivedAt: row.receivedAt.toISOString() };
}
