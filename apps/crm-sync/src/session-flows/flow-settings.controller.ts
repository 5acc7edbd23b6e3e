import { Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { ZodBody } from '@switchboard/validation';
import { type FlowSettings, flowSettingsExample, flowSettingsSchema } from './flow-settings.schema';
import { FlowSettingsRepository, type StoredFlowSettings } from './flow-settings.repository';

@ApiTags('CRM session flows')
@ApiBearerAuth()
@Roles(Role.Administrator)
@Controller('crm/session-flows/settings')
export class FlowSettingsController {
  constructor(private readonly settings: FlowSettingsRepository) {}

  @Get()
  @ApiOperation({ summary: "The tenant's session-flow settings (the defaults until an administrator sets them)" })
  get(@TenantId() tenantId: string): Promise<StoredFlowSettings> {
    return this.settings.find(tenantId);
  }

  @Put()
  @ApiOperation({
    summary: 'Set the session flows: retry policy (CS2.8), record creation delayed until an agent is assigned (CS4.2), comments (CS2.7), record updates (CS2.5), custom lookup URLs (CS5)',
  })
  put(@TenantId() tenantId: string, @ZodBody(flowSettingsSchema, { example: flowSettingsExample, inputLabel: 'The request body' }) settings: FlowSettings): Promise<StoredFlowSettings> {
    return this.settings.save(tenantId, settings);
  }
}
