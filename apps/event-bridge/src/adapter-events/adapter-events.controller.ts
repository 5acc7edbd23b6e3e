import { Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public, SIGNATURE_HEADER } from '@switchboard/auth';
import { adapterEventEnvelopeSchema } from '@switchboard/contracts';
import { currentCorrelation } from '@switchboard/service-kit';
import { DocumentedBody } from '@switchboard/validation';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { ApiBatchResponses, chatMessageExample, newCallExample } from './adapter-event.docs';
import { batchItems, MAX_SIGNED_BATCH_EVENTS, readAdapterEvent, requireAdapterEvent } from './adapter-event-intake';
import { AdapterSignatureGuard, SignedTenant, TENANT_HEADER } from './adapter-signature.guard';
import { AdapterEventsService, BatchResult, IngestResult } from './adapter-events.service';

const SIGNATURE_DESCRIPTION = 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>"> with the tenant\'s ingress secret; t within ±300 s (ADAPTER_EVENT_SIGNATURE_TOLERANCE_SEC)';

/** Server-side senders (EB1.1 b): HMAC-signed posts of one event or a batch (P1.4). */
@ApiTags('adapter events')
@ApiHeader({ name: TENANT_HEADER, required: true, description: 'The tenant id (GUID)' })
@ApiHeader({ name: SIGNATURE_HEADER, required: true, description: SIGNATURE_DESCRIPTION })
@ApiResponse({ status: 401, description: 'InvalidSignature (missing, malformed or wrong signature, unknown tenant) or StaleSignature' })
@Public()
@UseGuards(AdapterSignatureGuard)
@Controller('adapter-events')
export class AdapterEventsController {
  constructor(private readonly events: AdapterEventsService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Ingest one agent-adapter event ({type, data}), HMAC-signed; 202 once stored and queued for agent.events.v1' })
  @ApiResponse({ status: 202, description: '{eventId, duplicate}: duplicate=true answers a resend with the first one\'s id' })
  async ingest(@SignedTenant() tenantId: string, @DocumentedBody(adapterEventEnvelopeSchema, { example: newCallExample }) body: unknown): Promise<IngestResult> {
    return this.events.ingestOne(requireAdapterEvent(body), { tenantId, ingress: 'signed', correlationId: currentCorrelation()?.correlationId });
  }

  @Post('batch')
  @ApiOperation({ summary: `Ingest up to ${MAX_SIGNED_BATCH_EVENTS} agent-adapter events, HMAC-signed; a bad event is rejected alone` })
  @ApiBatchResponses(MAX_SIGNED_BATCH_EVENTS)
  async ingestBatch(
    @SignedTenant() tenantId: string,
    @DocumentedBody(z.array(adapterEventEnvelopeSchema).min(1).max(MAX_SIGNED_BATCH_EVENTS), { example: [newCallExample, chatMessageExample] }) body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BatchResult> {
    const items = batchItems(body, MAX_SIGNED_BATCH_EVENTS).map((item) => readAdapterEvent(item));
    const result = await this.events.ingestBatch(items, { tenantId, ingress: 'signed', correlationId: currentCorrelation()?.correlationId });
    reply.status(result.rejected > 0 ? 207 : 200);
    return result;
  }
}
