import { Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { ZodBody } from '@switchboard/validation';
import { OutcomeEmailSettingsRepository } from './outcome-email-settings.repository';
import { type OutcomeEmailSettingsInput, outcomeEmailSettingsExample, outcomeEmailSettingsSchema, type OutcomeEmailSettingsView } from './outcome-email-settings.schema';

@ApiTags('outcome e-mail')
@ApiBearerAuth()
@Roles(Role.Administrator)
@Controller('crm/outcome-email/settings')
export class OutcomeEmailSettingsController {
  constructor(private readonly settings: OutcomeEmailSettingsRepository) {}

  @Get()
  @ApiOperation({ summary: "The tenant's session outcome e-mail settings (CS6.1)" })
  get(@TenantId() tenantId: string): Promise<OutcomeEmailSettingsView> {
    return this.settings.view(tenantId);
  }

  @Put()
  @ApiOperation({
    summary: 'Set who gets session outcome e-mails (CS6.1): global switch and address, per-queue switches and addresses, subject',
    description: 'Global off + queue on: the queue address; global on + queue off (or not listed): the global address; both on: the queue address. An empty resulting address sends nothing.',
  })
  put(@TenantId() tenantId: string, @ZodBody(outcomeEmailSettingsSchema, { example: outcomeEmailSettingsExample, inputLabel: 'The request body' }) settings: OutcomeEmailSettingsInput): Promise<OutcomeEmailSettingsView> {
    return this.settings.save(tenantId, settings);
  }
}
