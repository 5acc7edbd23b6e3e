import { Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { GuidParam, NoQuery, ZodBody } from '@switchboard/validation';
import { CONFIGURATION_LABEL, configurationExample, type ConfigurationInput, configurationSchema, type ConfigurationView } from './configurations.schema';
import { ConfigurationsService } from './configurations.service';

@ApiTags('outbound configurations')
@ApiBearerAuth()
@Controller('outbound/configurations')
export class ConfigurationsController {
  constructor(private readonly configurations: ConfigurationsService) {}

  @Post()
  @Roles(Role.Administrator)
  @ApiOperation({
    summary: 'Create an outbound configuration (OM2.1); its id (msdyn_ocoutboundconfigurationid) is generated on save',
    description: 'The channel and the template must be of the configuration\'s channel type (else 422 ConfigurationPartsInvalid).',
  })
  create(@TenantId() tenantId: string, @ZodBody(configurationSchema, { example: configurationExample, inputLabel: CONFIGURATION_LABEL }) input: ConfigurationInput): Promise<ConfigurationView> {
    return this.configurations.create(tenantId, input);
  }

  @Get()
  @Roles(Role.Administrator, Role.OmnichannelSupervisor)
  @ApiOperation({ summary: "The tenant's outbound configurations" })
  async list(@TenantId() tenantId: string, @NoQuery() _query: object): Promise<{ items: ConfigurationView[] }> {
    return { items: await this.configurations.list(tenantId) };
  }

  @Get(':id')
  @Roles(Role.Administrator, Role.OmnichannelSupervisor)
  get(@TenantId() tenantId: string, @GuidParam() id: string): Promise<ConfigurationView> {
    return this.configurations.get(tenantId, id);
  }

  @Put(':id')
  @Roles(Role.Administrator)
  @ApiOperation({ summary: 'Replace an outbound configuration' })
  replace(@TenantId() tenantId: string, @GuidParam() id: string, @ZodBody(configurationSchema, { example: configurationExample, inputLabel: CONFIGURATION_LABEL }) input: ConfigurationInput): Promise<ConfigurationView> {
    return this.configurations.replace(tenantId, id, input);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles(Role.Administrator)
  async remove(@TenantId() tenantId: string, @GuidParam() id: string): Promise<void> {
    await this.configurations.remove(tenantId, id);
  }
}
