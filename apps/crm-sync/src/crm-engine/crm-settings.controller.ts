import { Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { ZodBody } from '@switchboard/validation';
import { type CustomCrmSettingsInput, customCrmSettingsExample, customCrmSettingsSchema, type CustomCrmSettingsView } from './crm-settings.schema';
import { CustomCrmSettingsService } from './crm-settings.service';

@ApiTags('custom CRM')
@ApiBearerAuth()
@Roles(Role.Administrator)
@Controller('crm/custom/settings')
export class CustomCrmSettingsController {
  constructor(private readonly settings: CustomCrmSettingsService) {}

  @Get()
  @ApiOperation({ summary: "The tenant's custom CRM settings (secrets are never returned, only whether they are set)" })
  get(@TenantId() tenantId: string): Promise<CustomCrmSettingsView> {
    return this.settings.view(tenantId);
  }

  @Put()
  @ApiOperation({
    summary: 'Set the custom CRM: authentication, phone format, timeout, lookup URLs and endpoint templates (CS1, CS2, CS3)',
    description:
      'Secrets (the basic password, custom header values) are write-only: leave one out to keep the stored value. Templates are checked on save ' +
      '(400 naming the endpoint); endpoint URLs that resolve to loopback, private, link-local or cloud-metadata addresses are refused (422 UrlNotAllowed) ' +
      'unless the deployment allow-lists them (OUTBOUND_HTTP_ALLOW).',
  })
  put(
    @TenantId() tenantId: string,
    @ZodBody(customCrmSettingsSchema, { example: customCrmSettingsExample, inputLabel: 'The request body' }) settings: CustomCrmSettingsInput,
  ): Promise<CustomCrmSettingsView> {
    return this.settings.replace(tenantId, settings);
  }
}
