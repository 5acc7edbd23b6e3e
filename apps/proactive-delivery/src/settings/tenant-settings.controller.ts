import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { valueOrValidationFailed } from '../common/field-errors';
import { TENANT_SETTINGS_LIMITS, parseTenantSettings, type TenantDialingSettings } from './tenant-dialing-settings.schema';
import { TenantSettingsService } from './tenant-settings.service';

const { frequencyCapAttempts: attempts, frequencyCapPeriodHours: hours, idempotencyPeriodSeconds: seconds } = TENANT_SETTINGS_LIMITS;

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
      `Body {frequencyCap: {maxAttempts ${attempts.min}–${attempts.max}, periodHours ${hours.min}–${hours.max}}, ` +
      `idempotencyPeriodSeconds ${seconds.min}–${seconds.max}, phoneNumberValidation "strict" (default) or "lenient"}. ` +
      "The cap counts dial attempts to one number across all the tenant's deliveries.",
  })
  put(@TenantId() tenantId: string, @Body() body: unknown): Promise<TenantDialingSettings> {
    return this.settings.replace(tenantId, valueOrValidationFailed(parseTenantSettings(body)));
  }
}
