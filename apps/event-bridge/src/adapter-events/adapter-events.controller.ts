import { Controller, Headers, HttpCode, Post, Req, UnauthorizedException } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { isGuid, Public, SIGNATURE_HEADER, verifySignature } from '@switchboard/auth';
import { currentCorrelation, type RequestWithRawBody } from '@switchboard/service-kit';
import { DocumentedBody, parseWith } from '@switchboard/validation';
import { IngressSecretsService } from '../ingress-secrets/ingress-secrets.service';
import { adapterEventSchema } from './adapter-event.schema';
import { AdapterEventsService, IngestResult } from './adapter-events.service';

export const TENANT_HEADER = 'X-Switchboard-Tenant';

const adapterEventExample = { type: 'New_Call', data: { call_id: 'CA7f3a21', agent_id: 'agent-17', phone_number: '+14155552671' } };

@ApiTags('adapter events')
@Controller('adapter-events')
export class AdapterEventsController {
  constructor(
    private readonly events: AdapterEventsService,
    private readonly secrets: IngressSecretsService,
  ) {}

  /** Server-side senders post one adapter event, signed with the tenant's HMAC secret (EB1.1 b, P1.4). */
  @Post()
  @Public()
  @HttpCode(202)
  @ApiOperation({ summary: 'Ingest one agent-adapter event ({type, data}), HMAC-signed' })
  @ApiHeader({ name: TENANT_HEADER, required: true })
  @ApiHeader({ name: SIGNATURE_HEADER, required: true, description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">' })
  async ingest(
    @Req() request: RequestWithRawBody,
    @Headers(TENANT_HEADER) tenantId: string | undefined,
    // Parsed only once the signature is checked: unauthenticated callers learn nothing from a 400.
    @DocumentedBody(adapterEventSchema, { example: adapterEventExample }) body: unknown,
  ): Promise<IngestResult> {
    await this.authenticate(request, tenantId);
    const input = parseWith(adapterEventSchema, body);
    return this.events.ingest(tenantId as string, input, request.rawBody ?? Buffer.from(JSON.stringify(body)), currentCorrelation()?.correlationId);
  }

  private async authenticate(request: RequestWithRawBody, tenantId: string | undefined): Promise<void> {
    // One answer for every failure, so the endpoint does not reveal which tenants exist.
    const refuse = () => new UnauthorizedException('Missing or invalid tenant signature');
    if (!tenantId || !isGuid(tenantId) || !request.rawBody) throw refuse();
    const secret = await this.secrets.secretOf(tenantId);
    if (!secret) throw refuse();
    const check = verifySignature({ secret, rawBody: request.rawBody, header: request.headers[SIGNATURE_HEADER.toLowerCase()] });
    if (!check.valid) throw refuse();
  }
}
