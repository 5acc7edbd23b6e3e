import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { refuseFields } from '@switchboard/service-kit';
import { isForeignKeyViolation, isUniqueViolation } from '../common/constraint-errors';
import type { OutboundConfiguration } from '../generated/prisma/client';
import { ConfigurationChanges } from './configuration-changes';
import { ConfigurationsRepository, type ConfigurationWithParts } from './configurations.repository';
import type { ConfigurationInput, ConfigurationView } from './configurations.schema';

/** Outbound configurations (OM2), always within the caller's tenant. */
@Injectable()
export class ConfigurationsService {
  constructor(
    private readonly configurations: ConfigurationsRepository,
    private readonly changes: ConfigurationChanges,
  ) {}

  async create(tenantId: string, input: ConfigurationInput): Promise<ConfigurationView> {
    await this.checkParts(tenantId, input);
    try {
      return toView(await this.configurations.create(tenantId, input));
    } catch (error) {
      throw isUniqueViolation(error) ? nameTaken(input.name) : error;
    }
  }

  async list(tenantId: string): Promise<ConfigurationView[]> {
    return (await this.configurations.list(tenantId)).map(toView);
  }

  /** Another tenant's configuration answers exactly like a missing one (P1.1). */
  async get(tenantId: string, id: string): Promise<ConfigurationView> {
    const row = await this.configurations.find(tenantId, id);
    if (!row) throw notFound(id);
    return toView(row);
  }

  async withParts(tenantId: string, id: string): Promise<ConfigurationWithParts | null> {
    return this.configurations.findWithParts(tenantId, id);
  }

  async replace(tenantId: string, id: string, input: ConfigurationInput): Promise<ConfigurationView> {
    await this.get(tenantId, id);
    await this.checkParts(tenantId, input);
    try {
      if (!(await this.configurations.replace(tenantId, id, input))) throw notFound(id);
    } catch (error) {
      throw isUniqueViolation(error) ? nameTaken(input.name) : error;
    }
    this.changes.changed(tenantId);
    return this.get(tenantId, id);
  }

  async remove(tenantId: string, id: string): Promise<void> {
    try {
      if (!(await this.configurations.delete(tenantId, id))) throw notFound(id);
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new ConflictException({ code: 'ConfigurationInUse', message: `Configuration ${id} is used by an automated rule or a scheduled send; change or delete them first` });
      throw error;
    }
    this.changes.changed(tenantId);
  }

  /** The channel and the template must be the tenant's own, of the configuration's channel type. */
  private async checkParts(tenantId: string, input: ConfigurationInput): Promise<void> {
    const types = await this.configurations.partTypes(tenantId, input.channelId, input.templateId);
    const problems = [];
    for (const [field, type, what] of [['channelId', types.channel, 'channel'], ['templateId', types.template, 'message template']] as const) {
      if (type === undefined) problems.push({ field, message: `${field} names no ${what} of this tenant` });
      else if (type !== input.channelType) problems.push({ field, message: `${field} names a ${type} ${what}; the configuration's channel type is ${input.channelType}` });
    }
    refuseFields('ConfigurationPartsInvalid', problems);
  }
}

function toView(row: OutboundConfiguration): ConfigurationView {
  return {
    id: row.id,
    msdyn_ocoutboundconfigurationid: row.id,
    name: row.name,
    showInTimeline: row.showInTimeline,
    channelType: row.channelType as ConfigurationView['channelType'],
    channelId: row.channelId,
    templateId: row.templateId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function notFound(id: string): NotFoundException {
  return new NotFoundException({ code: 'ConfigurationNotFound', message: `No outbound configuration ${id}` });
}

function nameTaken(name: string): ConflictException {
  return new ConflictException({ code: 'ConfigurationNameTaken', message: `An outbound configuration named "${name}" already exists` });
}
