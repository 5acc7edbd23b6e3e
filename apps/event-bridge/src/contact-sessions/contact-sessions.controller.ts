import { Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { currentCorrelation, type RequestWithRawBody } from '@switchboard/service-kit';
import { parseNamed, ZodBody } from '@switchboard/validation';
import { SignedTenant, TenantSigned } from '../tenant-secrets/tenant-signature.guard';
import { contactSessionEventExample, type ContactSessionEventInput, contactSessionEventSchema, sessionIdParameter } from './contact-session-event.schema';
import { ContactSessionsService, type ContactSessionView, type SessionEventResult } from './contact-sessions.service';

@ApiTags('contact sessions')
@Controller('contact-sessions')
export class ContactSessionsController {
  constructor(private readonly sessions: ContactSessionsService) {}

  /** The platform posts each server-side session event, signed with the tenant's HMAC secret like adapter events (P1.4). */
  @Post('events')
  @TenantSigned()
  @HttpCode(202)
  @ApiOperation({ summary: 'Ingest one server-side contact-session event (session.started | session.updated | session.ended), HMAC-signed' })
  accept(
    @Req() request: RequestWithRawBody,
    @SignedTenant() tenantId: string,
    @ZodBody(contactSessionEventSchema, { example: contactSessionEventExample }) input: ContactSessionEventInput,
  ): Promise<SessionEventResult> {
    // The guard admitted the request on its raw body, so it is there.
    return this.sessions.accept(tenantId, input, request.rawBody as Buffer, currentCorrelation()?.correlationId);
  }

  @Get(':sessionId')
  @ApiBearerAuth()
  @Roles(Role.OmnichannelSupervisor, Role.Administrator)
  @ApiOperation({ summary: "A contact session of the caller's tenant, merged with its agent-adapter events, in the metadata document's shape" })
  get(@TenantId() tenantId: string, @Param('sessionId') sessionId: string): Promise<ContactSessionView> {
    return this.sessions.get(tenantId, parseNamed('sessionId', sessionIdParameter, sessionId));
  }
}
