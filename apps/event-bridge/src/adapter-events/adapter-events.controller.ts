import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { currentCorrelation, type RequestWithRawBody } from '@switchboard/service-kit';
import { DocumentedBody, parseWith } from '@switchboard/validation';
import { SignedTenantId, TenantSigned } from '../ingress-secrets/tenant-signature.guard';
import { adapterEventSchema } from './adapter-event.schema';
import { AdapterEventsService, IngestResult } from './adapter-events.service';

const adapterEventExample = { type: 'New_Call', data: { call_id: 'CA7f3a21', agent_id: 'agent-17', phone_number: '+14155552671' } };

@ApiTags('adapter events')
@Controller('adapter-events')
export class AdapterEventsController {
  constructor(private readonly events: AdapterEventsService) {}

  /** Server-side senders post one adapter event, signed with the tenant's HMAC secret (EB1.1 b, P1.4). */
  @Post()
  @TenantSigned()
  @HttpCode(202)
  @ApiOperation({ summary: 'Ingest one agent-adapter event ({type, data}), HMAC-signed' })
  async ingest(
    @Req() request: RequestWithRawBody,
    @SignedTenantId() tenantId: string,
    @DocumentedBody(adapterEventSchema, { example: adapterEventExample }) body: unknown,
  ): Promise<IngestResult> {
    const input = parseWith(adapterEventSchema, body);
    return this.events.ingest(tenantId, input, request.rawBody ?? Buffer.from(JSON.stringify(body)), currentCorrelation()?.correlationId);
  }
}
