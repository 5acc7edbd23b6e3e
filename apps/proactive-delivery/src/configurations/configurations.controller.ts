import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { z } from 'zod';
import { parseNamed, valueOrValidationFailed } from '../common/field-errors';
import { ConfigurationView } from './configuration.mapper';
import { parseConfigurationInput } from './configuration.schema';
import { ConfigurationsService } from './configurations.service';

const idParam = z.guid('must be a GUID').transform((id) => id.toLowerCase());

@ApiTags('configurations')
@ApiBearerAuth()
@Controller('proactive/configurations')
export class ConfigurationsController {
  constructor(private readonly configurations: ConfigurationsService) {}

  @Post()
  @Roles(Role.Administrator)
  @ApiOperation({ summary: 'Create a proactive engagement configuration (PD2.1)' })
  create(@TenantId() tenantId: string, @Body() body: unknown): Promise<ConfigurationView> {
    return this.configurations.create(tenantId, valueOrValidationFailed(parseConfigurationInput(body, { partial: false })));
  }

  @Get()
  @Roles(Role.Administrator, Role.OmnichannelSupervisor)
  @ApiOperation({ summary: "List the tenant's configurations" })
  async list(@TenantId() tenantId: string): Promise<{ items: ConfigurationView[] }> {
    return { items: await this.configurations.list(tenantId) };
  }

  @Get(':id')
  @Roles(Role.Administrator, Role.OmnichannelSupervisor)
  get(@TenantId() tenantId: string, @Param('id') id: string): Promise<ConfigurationView> {
    return this.configurations.get(tenantId, parseNamed('id', idParam, id));
  }

  @Patch(':id')
  @Roles(Role.Administrator)
  @ApiOperation({ summary: 'Change some fields; nested objects are replaced whole' })
  update(@TenantId() tenantId: string, @Param('id') id: string, @Body() body: unknown): Promise<ConfigurationView> {
    const configurationId = parseNamed('id', idParam, id);
    return this.configurations.update(tenantId, configurationId, valueOrValidationFailed(parseConfigurationInput(body, { partial: true })));
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles(Role.Administrator)
  async remove(@TenantId() tenantId: string, @Param('id') id: string): Promise<void> {
    await this.configurations.remove(tenantId, parseNamed('id', idParam, id));
  }
}
