import { Controller, ForbiddenException, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Role, Roles } from '@switchboard/auth';
import { adapterEventEnvelopeSchema, MAX_ADAPTER_ID_LENGTH } from '@switchboard/contracts';
import { currentCorrelation } from '@switchboard/service-kit';
import { DocumentedBody } from '@switchboard/validation';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { ApiBatchResponses, chatMessageExample } from './adapter-event.docs';
import { AdapterEventSource } from './adapter-event-source';
import { batchItems, MAX_AGENT_BATCH_EVENTS, readAdapterEvent, requireAdapterEvent } from './adapter-event-intake';
import { AdapterEventsService, BatchResult, IngestResult } from './adapter-events.service';

const agentBodySchema = z.union([adapterEventEnvelopeSchema, z.array(adapterEventEnvelopeSchema).min(1).max(MAX_AGENT_BATCH_EVENTS)]);

/**
 * The browser path (EB1.1 a): the page script forwards the adapter iframe's postMessage events with
 * the agent's bearer token. Tenant and agent come from the token only: `agent_id` in the data is kept
 * as the adapter sent it, but the event is the token's agent's.
 */
@ApiTags('adapter events')
@ApiBearerAuth()
@Controller('adapter-events')
export class AgentAdapterEventsController {
  constructor(private readonly events: AdapterEventsService) {}

  @Post('from-agent')
  @Roles(Role.OmnichannelAgent)
  @ApiOperation({
    summary: `An agent's page forwards one adapter event (202 {eventId, duplicate}) or its queue of up to ${MAX_AGENT_BATCH_EVENTS} (200/207 per-event results)`,
    description:
      'Body: {id?, type, data} as the adapter posted it, or an array of them. Give each event an id (e.g. a UUID made when it arrived) and keep it when retrying: a resend with the same id is answered "duplicate" and published once.',
  })
  @ApiResponse({ status: 202, description: 'One event: {eventId, duplicate}' })
  @ApiBatchResponses(MAX_AGENT_BATCH_EVENTS)
  async fromAgent(
    @CurrentPrincipal() principal: Principal,
    @DocumentedBody(agentBodySchema, { example: chatMessageExample }) body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IngestResult | BatchResult> {
    // The subject becomes the events' agentId, which a CloudEvent carries up to this length.
    if (principal.subject.length > MAX_ADAPTER_ID_LENGTH) throw new ForbiddenException("The token's subject is too long to name an agent.");
    const source: AdapterEventSource = { tenantId: principal.tenantId, ingress: 'agent', agentId: principal.subject, correlationId: currentCorrelation()?.correlationId };
    if (!Array.isArray(body)) {
      reply.status(202);
      return this.events.ingestOne(requireAdapterEvent(body, source.agentId), source);
    }
    const items = batchItems(body, MAX_AGENT_BATCH_EVENTS).map((item) => readAdapterEvent(item, source.agentId));
    const result = await this.events.ingestBatch(items, source);
    reply.status(result.rejected > 0 ? 207 : 200);
    return result;
  }
}
