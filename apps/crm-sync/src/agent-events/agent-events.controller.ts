import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { queryInteger, ZodQuery } from '@switchboard/validation';
import { z } from 'zod';
import { AgentEventLogRepository } from './agent-event-log.repository';

const listQuery = z.strictObject({
  sessionId: z.string().min(1).max(200).optional(),
  limit: queryInteger({ min: 1, max: 500 }).default(100),
});

@ApiTags('agent events')
@ApiBearerAuth()
@Controller('agent-events')
export class AgentEventsController {
  constructor(private readonly log: AgentEventLogRepository) {}

  @Get()
  @Roles(Role.Administrator, Role.OmnichannelSupervisor, Role.OmnichannelAgent)
  @ApiOperation({ summary: "Agent-adapter events crm-sync has received, for the caller's tenant only" })
  async list(@TenantId() tenantId: string, @ZodQuery(listQuery) { sessionId, limit }: z.output<typeof listQuery>) {
    return { items: await this.log.list(tenantId, { sessionId, limit }) };
  }
}
