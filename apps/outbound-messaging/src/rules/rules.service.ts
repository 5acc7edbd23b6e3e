import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { isUniqueViolation } from '../common/constraint-errors';
import type { AutomatedRule, RuleFiring } from '../generated/prisma/client';
import { ConfigurationLoader } from '../invoke/configuration-loader';
import { RulesRepository } from './rules.repository';
import type { RuleContactFields, RuleCondition, RuleFiringView, RuleInput, RuleView } from './rules.schema';

/** Automated rules (OM4.1), always within the caller's tenant. */
@Injectable()
export class RulesService {
  constructor(
    private readonly rules: RulesRepository,
    private readonly configurations: ConfigurationLoader,
  ) {}

  async create(tenantId: string, input: RuleInput): Promise<RuleView> {
    await this.checkConfiguration(tenantId, input);
    try {
      return toView(await this.rules.create(tenantId, input));
    } catch (error) {
      throw isUniqueViolation(error) ? nameTaken(input.name) : error;
    }
  }

  async list(tenantId: string): Promise<RuleView[]> {
    return (await this.rules.list(tenantId)).map(toView);
  }

  /** Another tenant's rule answers exactly like a missing one (P1.1). */
  async get(tenantId: string, id: string): Promise<RuleView> {
    const row = await this.rules.find(tenantId, id);
    if (!row) throw notFound(id);
    return toView(row);
  }

  async replace(tenantId: string, id: string, input: RuleInput): Promise<RuleView> {
    await this.get(tenantId, id);
    await this.checkConfiguration(tenantId, input);
    try {
      if (!(await this.rules.replace(tenantId, id, input))) throw notFound(id);
    } catch (error) {
      throw isUniqueViolation(error) ? nameTaken(input.name) : error;
    }
    return this.get(tenantId, id);
  }

  async remove(tenantId: string, id: string): Promise<void> {
    if (!(await this.rules.delete(tenantId, id))) throw notFound(id);
  }

  async firings(tenantId: string, id: string, limit: number): Promise<RuleFiringView[]> {
    await this.get(tenantId, id);
    return (await this.rules.firings(tenantId, id, limit)).map(firingView);
  }

  /** The configuration must be the tenant's; one that shows in the timeline needs entityrelationshipname (OM2.2). */
  private async checkConfiguration(tenantId: string, input: RuleInput): Promise<void> {
    const configuration = await this.configurations.load(tenantId, input.configurationId);
    const problem = !configuration
      ? { field: 'configurationId', message: 'configurationId names no outbound configuration of this tenant' }
      : configuration.showInTimeline && input.contact.entityrelationshipname === undefined
        ? { field: 'contact.entityrelationshipname', message: 'contact.entityrelationshipname is required: the configuration shows messages in the customer\'s timeline (OM2.2)' }
        : undefined;
    if (problem) throw new UnprocessableEntityException({ code: 'RuleConfigurationInvalid', message: problem.message, details: [problem] });
  }
}

function toView(row: AutomatedRule): RuleView {
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    topic: row.topic as RuleView['topic'],
    eventType: row.eventType,
    conditions: row.conditions as RuleCondition[],
    configurationId: row.configurationId,
    contact: row.contactFields as RuleContactFields,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function firingView(row: RuleFiring): RuleFiringView {
  return { id: row.id, eventId: row.eventId, eventType: row.eventType, outcome: row.outcome, reason: row.reason, messageId: row.messageId, createdAt: row.createdAt.toISOString() };
}

function notFound(id: string): NotFoundException {
  return new NotFoundException({ code: 'RuleNotFound', message: `No automated rule ${id}` });
}

function nameTaken(name: string): ConflictException {
  return new ConflictException({ code: 'RuleNameTaken', message: `An automated rule named "${name}" already exists` });
}
