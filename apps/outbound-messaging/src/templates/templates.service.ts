import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { ConfigurationChanges } from '../configurations/configuration-changes';
import { isForeignKeyViolation, isUniqueViolation } from '../common/constraint-errors';
import type { MessageTemplate } from '../generated/prisma/client';
import { compileTemplate, type CompiledTemplate, missingValuesReason, placeholderValues, type RenderedMessage, renderTemplate, type StoredTemplate, type TemplateVersion } from './template-rendering';
import { TemplatesRepository } from './templates.repository';
import type { PreviewInput, TemplateInput, TemplateView } from './templates.schema';

/** Message templates (OM1), always within the caller's tenant. */
@Injectable()
export class TemplatesService {
  constructor(
    private readonly templates: TemplatesRepository,
    private readonly changes: ConfigurationChanges,
  ) {}

  async create(tenantId: string, input: TemplateInput): Promise<TemplateView> {
    try {
      return toView(await this.templates.create(tenantId, input));
    } catch (error) {
      throw isUniqueViolation(error) ? nameTaken(input.name) : error;
    }
  }

  async list(tenantId: string): Promise<TemplateView[]> {
    return (await this.templates.list(tenantId)).map(toView);
  }

  /** Another tenant's template answers exactly like a missing one (P1.1). */
  async get(tenantId: string, id: string): Promise<TemplateView> {
    return toView(await this.row(tenantId, id));
  }

  async replace(tenantId: string, id: string, input: TemplateInput): Promise<TemplateView> {
    const current = await this.row(tenantId, id);
    if (current.channelType !== input.channelType) await this.refuseChannelChangeInUse(tenantId, id, current.channelType);
    try {
      if (!(await this.templates.replace(tenantId, id, input))) throw notFound(id);
    } catch (error) {
      throw isUniqueViolation(error) ? nameTaken(input.name) : error;
    }
    // The invoke API's cached configurations hold the compiled template: the next request reads it afresh.
    this.changes.changed(tenantId);
    return this.get(tenantId, id);
  }

  async remove(tenantId: string, id: string): Promise<void> {
    try {
      if (!(await this.templates.delete(tenantId, id))) throw notFound(id);
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new ConflictException({ code: 'TemplateInUse', message: `Template ${id} is used by an outbound configuration; change or delete the configuration first` });
      throw error;
    }
    this.changes.changed(tenantId);
  }

  /** One contact's message as it would be sent (OM1.2, OM1.3), with the SMS segment count. */
  async preview(tenantId: string, id: string, input: PreviewInput): Promise<RenderedMessage> {
    const template = compileTemplate(await this.row(tenantId, id) as unknown as StoredTemplate);
    return renderOrRefuse(template, input);
  }

  /** The compiled template of a configuration, for sending. */
  async compiled(tenantId: string, id: string): Promise<CompiledTemplate> {
    return compileTemplate((await this.row(tenantId, id)) as unknown as StoredTemplate);
  }

  private async row(tenantId: string, id: string): Promise<MessageTemplate> {
    const row = await this.templates.find(tenantId, id);
    if (!row) throw notFound(id);
    return row;
  }

  private async refuseChannelChangeInUse(tenantId: string, id: string, channelType: string): Promise<void> {
    if (await this.templates.isUsed(tenantId, id)) {
      throw new ConflictException({ code: 'TemplateInUse', message: `Template ${id} is used by ${channelType} outbound configurations; its channel type cannot change` });
    }
  }
}

function renderOrRefuse(template: CompiledTemplate, input: PreviewInput): RenderedMessage {
  const outcome = renderTemplate(template, input.locale, placeholderValues(input));
  if (!outcome.ok) {
    throw new UnprocessableEntityException({
      code: 'MissingPlaceholderValue',
      message: `The ${outcome.locale} version cannot be rendered: ${missingValuesReason(outcome.missing)}`,
      details: outcome.missing.map((name) => ({ field: `contextitems.${name}`, message: `is needed by {{${name}}}` })),
    });
  }
  const { ok: _ok, ...rendered } = outcome;
  return rendered;
}

function toView(row: MessageTemplate): TemplateView {
  return {
    id: row.id,
    name: row.name,
    channelType: row.channelType as TemplateView['channelType'],
    defaultLocale: row.defaultLocale,
    versions: row.versions as unknown as Record<string, TemplateVersion>,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function notFound(id: string): NotFoundException {
  return new NotFoundException({ code: 'TemplateNotFound', message: `No message template ${id}` });
}

function nameTaken(name: string): ConflictException {
  return new ConflictException({ code: 'TemplateNameTaken', message: `A message template named "${name}" already exists` });
}
