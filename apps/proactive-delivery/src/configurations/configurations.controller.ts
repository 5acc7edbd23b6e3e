import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { GuidParam, NoQuery, ZodBody } from '@switchboard/validation';
import { configurationExample } from './configuration.example';
import { ConfigurationView } from './configuration.mapper';
import {
  CONFIGURATION_LABEL,
  configurationCreateSchema,
  configurationPatchSchema,
  type ConfigurationPatch,
  type ProactiveEngagementConfiguration,
} from './configuration.schema';
import { ConfigurationsService } from './configurations.service';

@ApiTags('configurations')
@ApiBearerAuth()
@Controller('proactive/configurations')
export class ConfigurationsController {
  constructor(private readonly configurations: ConfigurationsService) {}

  @Post()
  @Roles(Role.Administrator)
  @ApiOperation({ summary: 'Create a proactive engagement configuration (PD2.1)' })
  create(
    @TenantId() tenantId: string,
    @ZodBody(configurationCreateSchema, { example: configurationExample, inputLabel: CONFIGURATION_LABEL }) configuration: ProactiveEngagementConfiguration,
  ): Promise<ConfigurationView> {
    return this.configurations.create(tenantId, configuration);
  }

  @Get()
  @Roles(Role.Administrator, Role.OmnichannelSupervisor)
  @ApiOperation({ summary: "List the tenant's configurations" })
  async list(@TenantId() tenantId: string, @NoQuery() _query: object): Promise<{ items: ConfigurationView[] }> {
    return { items: await this.configurations.list(tenantId) };
  }

  @Get(':id')
  @Roles(Role.Administrator, Role.OmnichannelSupervisor)
  get(@TenantId() tenantId: string, @GuidParam() id: string): Promise<ConfigurationView> {
    return this.configurations.get(tenantId, id);
  }

  @Patch(':id')
  @Roles(Role.Administrator)
  @ApiOperation({ summary: 'Change some fields; nested objects are replaced whole' })
  update(
    @TenantId() tenantId: string,
    @GuidParam() id: string,
    @ZodBody(configurationPatchSchema, { example: { enabled: false, maxAttempts: 5 }, inputLabel: CONFIGURATION_LABEL }) patch: ConfigurationPatch,
  ): Promise<ConfigurationView> {
    return this.configurations.update(tenantId, id, patch);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles(Role.Administrator)
  async remove(@TenantId() tenantId: string, @GuidParam() id: string): Promise<void> {
    await this.configurations.remove(tenantId, id);
  }
}
