import { Injectable } from '@nestjs/common';
import { PrismaService, type OutboundMessagingTx } from '../database/prisma.service';
import type { AutomatedRule, RuleFiring } from '../generated/prisma/client';
import type { RuleInput } from './rules.schema';

export type NewRuleFiring = Omit<RuleFiring, 'tenantId' | 'ruleId'>;

/** outbound_messaging.automated_rule and rule_firing, always within one tenant. */
@Injectable()
export class RulesRepository {
  constructor(private readonly database: PrismaService) {}

  create(tenantId: string, input: RuleInput): Promise<AutomatedRule> {
    return this.database.automatedRule.create({ data: { tenantId, ...columns(input) } });
  }

  find(tenantId: string, id: string): Promise<AutomatedRule | null> {
    return this.database.automatedRule.findFirst({ where: { tenantId, id } });
  }

  list(tenantId: string): Promise<AutomatedRule[]> {
    return this.database.automatedRule.findMany({ where: { tenantId }, orderBy: { name: 'asc' }, take: 1_000 });
  }

  async replace(tenantId: string, id: string, input: RuleInput): Promise<boolean> {
    const { count } = await this.database.automatedRule.updateMany({ where: { tenantId, id }, data: columns(input) });
    return count > 0;
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const { count } = await this.database.automatedRule.deleteMany({ where: { tenantId, id } });
    return count > 0;
  }

  /** The tenant's enabled rules for one event type of a topic, read in the consumer's transaction. */
  enabledFor(tx: OutboundMessagingTx, tenantId: string, topic: string, eventType: string): Promise<AutomatedRule[]> {
    return tx.automatedRule.findMany({ where: { tenantId, topic, eventType, enabled: true }, orderBy: { createdAt: 'asc' } });
  }

  /** Records that a rule fired for an event; false when it already had (the unique (rule, event) pair). */
  async recordFiring(tx: OutboundMessagingTx, tenantId: string, ruleId: string, firing: NewRuleFiring): Promise<boolean> {
    const { count } = await tx.ruleFiring.createMany({ data: [{ tenantId, ruleId, ...firing }], skipDuplicates: true });
    return count === 1;
  }

  firings(tenantId: string, ruleId: string, limit: number): Promise<RuleFiring[]> {
    return this.database.ruleFiring.findMany({ where: { tenantId, ruleId }, orderBy: { createdAt: 'desc' }, take: limit });
  }
}

function columns(input: RuleInput) {
  const { contact, ...rest } = input;
  return { ...rest, contactFields: contact };
}
