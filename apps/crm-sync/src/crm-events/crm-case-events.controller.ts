import { Controller, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { ZodBody } from '@switchboard/validation';
import type { z } from 'zod';
import { type CaseEventAccepted, CrmCaseEventsService } from './crm-case-events.service';
import { crmCaseEventExample, type CrmCaseEventInput, crmCaseEventInputSchema, webhookSecretSchema } from './crm-case-events.schema';
import { CrmSigned, SignedTenant } from './crm-signature.guard';
import { CrmWebhookSecrets } from './crm-webhook-secrets';

@ApiTags('CRM events')
@Controller('crm/case-events')
export class CrmCaseEventsController {
  constructor(
    private readonly events: CrmCaseEventsService,
    private readonly secrets: CrmWebhookSecrets,
  ) {}

  @Post()
  @HttpCode(202)
  @CrmSigned()
  @ApiOperation({
    summary: 'A CRM reports a case created, updated or resolved (signed webhook); published on crm.case-events.v1',
    description: 'Idempotent on the CRM event id: a resend answers 202 with the first eventId and duplicate: true, and publishes nothing.',
  })
  accept(@SignedTenant() tenantId: string, @ZodBody(crmCaseEventInputSchema, { example: crmCaseEventExample, inputLabel: 'The request body' }) input: CrmCaseEventInput): Promise<CaseEventAccepted> {
    return this.events.accept(tenantId, input);
  }

  @Put('secret')
  @HttpCode(204)
  @ApiBearerAuth()
  @Roles(Role.Administrator)
  @ApiOperation({ summary: "Set the tenant's HMAC secret for the CRM case-event webhook (write-only, sealed)" })
  async setSecret(@TenantId() tenantId: string, @ZodBody(webhookSecretSchema, { example: { secret: 'a-random-secret-of-32-to-256-characters' } }) body: z.output<typeof webhookSecretSchema>): Promise<void> {
    await this.secrets.set(tenantId, body.secret);
  }
}
