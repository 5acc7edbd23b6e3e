import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { queryInteger, ZodQuery } from '@switchboard/validation';
import { z } from 'zod';
import { PrismaService } from '../database/prisma.service';

const listQuery = z.strictObject({
  sessionId: z.string().min(1).max(200).optional(),
  limit: queryInteger({ min: 1, max: 500 }).default(100),
});

@ApiTags('agent events')
@ApiBearerAuth()
@Controller('agent-events')
export class AgentEventsController {
  constructor(private readonly prisma: PrismaService) {}

  @Get()
  @Roles(Role.Administrator, Role.OmnichannelSupervisor, Role.OmnichannelAgent)
  @ApiOperation({ summary: "Agent-adapter events crm-sync has received, for the caller's tenant only" })
  async list(@TenantId() tenantId: string, @ZodQuery(listQuery) { sessionId, limit }: z.output<typeof listQuery>) {
    const rows = await this.prisma.agentEventLog.findMany({
      where: { tenantId, ...(sessionId ? { sessionId } : {}) },
      orderBy: { occurredAt: 'asc' },
      take: limit,
    });
    return { items: rows.map(({ tenantId: _tenant, ...row }) => row) };
  }
}
