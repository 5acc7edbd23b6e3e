import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Role, Roles } from '@switchboard/auth';
import type { FastifyReply } from 'fastify';
import { AgentStreamHub } from './agent-stream-hub';
import { LAST_EVENT_ID_HEADER, lastEventIdOf } from './server-sent-events';

@ApiTags('agent stream')
@ApiBearerAuth()
@Controller('agent-stream')
export class AgentStreamController {
  constructor(private readonly hub: AgentStreamHub) {}

  /**
   * The calling agent's own stream (EB3.1): tenant and agent come from the bearer token only (`tid`, `sub`),
   * never from the URL, so a page cannot listen to another agent's pops.
   */
  @Get()
  @Roles(Role.OmnichannelAgent, Role.OmnichannelSupervisor)
  @ApiOperation({
    summary: "Server-Sent Events: the calling agent's screen pops (CRM_Record_Pop) and session events",
    description:
      'Frames `id: <seq>`, `event: <type>`, `data: {"type","eventId","time","data"}`; a `: keep-alive` comment every 15 s. ' +
      'Send `Last-Event-ID` when reconnecting to receive what was missed (up to 15 minutes back).',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The id of the last event received; the stream resumes after it' })
  @ApiResponse({ status: 200, description: 'The stream (it stays open)' })
  @ApiResponse({ status: 429, description: 'Too many open streams for this agent or organization on this replica' })
  async stream(
    @CurrentPrincipal() principal: Principal,
    @Headers(LAST_EVENT_ID_HEADER) lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.hub.open({ tenantId: principal.tenantId, agentId: principal.subject }, lastEventIdOf(lastEventId), reply);
  }
}
