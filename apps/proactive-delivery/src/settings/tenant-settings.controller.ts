import { Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { ZodBody } from '@switchboard/validation';
import { tenantSettingsExample, tenantSettingsSchema, type TenantDialingSettings } from './tenant-dialing-settings.schema';
import { TenantSettingsService } from './tenant-settings.service';

@ApiTags('settings')
@ApiBearerAuth()
@Roles(Role.Administrator)
@Controller('proactive/settings')
export class TenantSettingsController {
  constructor(private readonly settings: TenantSettingsService) {}

  @Get()
  @ApiOperation({ summary: "The tenant's dialing settings in effect (the service defaults until set)" })
  get(@TenantId() tenantId: string): Promise<TenantDialingSettings> {
    return this.settings.effective(tenantId);
  }

  @Put()
  @ApiOperation({
    summary: 'Replace the dialing settings: frequency cap, idempotency period (PD1.5), phone-number validation',
    description:
      "The cap counts dial attempts to one number across all the tenant's deliveries. " +
      'phoneNumberValidation: "strict" (the default) accepts numbers valid in their country\'s plan; "lenient" also E.164-shaped numbers no plan knows.',
  })
  put(
    @TenantId() tenantId: string,
    @ZodBody(tenantSettingsSchema, { example: tenantSettingsExample, inputLabel: 'The request body' }) settings: TenantDialingSettings,
  ): Promise<TenantDialingSettings> {
    return this.settings.replace(tenantId, settings);
  }
}
