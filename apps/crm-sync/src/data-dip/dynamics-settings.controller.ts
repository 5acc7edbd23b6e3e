import { Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { ZodBody } from '@switchboard/validation';
import { type DynamicsSettingsInput, dynamicsSettingsExample, dynamicsSettingsSchema, type DynamicsSettingsView } from './dynamics-settings.schema';
import { DynamicsSettingsService } from './dynamics-settings.service';

@ApiTags('dynamics data dip')
@ApiBearerAuth()
@Roles(Role.Administrator)
@Controller('crm/dynamics/settings')
export class DynamicsSettingsController {
  constructor(private readonly settings: DynamicsSettingsService) {}

  @Get()
  @ApiOperation({ summary: "The tenant's Dynamics 365 connection for the IVR data dip (the client secret is never returned)" })
  get(@TenantId() tenantId: string): Promise<DynamicsSettingsView> {
    return this.settings.view(tenantId);
  }

  @Put()
  @ApiOperation({
    summary: 'Set the Dynamics 365 connection: organization URL, Entra tenant, app registration, answer budget (CS7)',
    description:
      'clientSecret is write-only: required the first time, leave it out to keep the stored one. URLs that resolve to loopback, private, ' +
      'link-local or cloud-metadata addresses are refused (422 UrlNotAllowed) unless the deployment allow-lists them (OUTBOUND_HTTP_ALLOW).',
  })
  put(
    @TenantId() tenantId: string,
    @ZodBody(dynamicsSettingsSchema, { example: dynamicsSettingsExample, inputLabel: 'The request body' }) settings: DynamicsSettingsInput,
  ): Promise<DynamicsSettingsView> {
    return this.settings.replace(tenantId, settings);
  }
}
