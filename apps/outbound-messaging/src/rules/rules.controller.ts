import { Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { closed, lowerCaseGuid, parseNamed, queryInteger, ZodBody, ZodQuery } from '@switchboard/validation';
import { RULE_LABEL, ruleExample, type RuleFiringView, type RuleInput, ruleSchema, type RuleView } from './rules.schema';
import { RulesService } from './rules.service';

const idParam = lowerCaseGuid();
const noQuery = closed({});
const firingsQuery = closed({ limit: queryInteger({ min: 1, max: 500 }).default(100) });

@ApiTags('outbound automated rules')
@ApiBearerAuth()
@Controller('outbound/rules')
export class RulesController {
  constructor(private readonly rules: RulesService) {}

  @Post()
  @Roles(Role.Administrator)
  @ApiOperation({
    summary: 'Create an automated rule (OM4.1): an event of a contract topic sends a configuration\'s message',
    description:
      'When an event of `topic` and `eventType` for this tenant meets every condition, the configuration\'s message goes to the contact ' +
      'whose ContactList fields are read from the event (`contact`: paths into the event\'s data). Each rule fires once per event.',
  })
  create(@TenantId() tenantId: string, @ZodBody(ruleSchema, { example: ruleExample, inputLabel: RULE_LABEL }) input: RuleInput): Promise<RuleView> {
    return this.rules.create(tenantId, input);
  }

  @Get()
  @Roles(Role.Administrator, Role.OmnichannelSupervisor)
  @ApiOperation({ summary: "The tenant's automated rules" })
  async list(@TenantId() tenantId: string, @ZodQuery(noQuery, { inputLabel: 'The query' }) _query: object): Promise<{ items: RuleView[] }> {
    return { items: await this.rules.list(tenantId) };
  }

  @Get(':id')
  @Roles(Role.Administrator, Role.OmnichannelSupervisor)
  get(@TenantId() tenantId: string, @Param('id') id: string): Promise<RuleView> {
    return this.rules.get(tenantId, parseNamed('id', idParam, id));
  }

  @Get(':id/firings')
  @Roles(Role.Administrator, Role.OmnichannelSupervisor)
  @ApiOperation({ summary: 'The events a rule fired for, newest first: the message it queued, or why it skipped or rejected the contact' })
  async firings(@TenantId() tenantId: string, @Param('id') id: string, @ZodQuery(firingsQuery, { inputLabel: 'The query' }) query: { limit: number }): Promise<{ items: RuleFiringView[] }> {
    return { items: await this.rules.firings(tenantId, parseNamed('id', idParam, id), query.limit) };
  }

  @Put(':id')
  @Roles(Role.Administrator)
  @ApiOperation({ summary: 'Replace an automated rule' })
  replace(@TenantId() tenantId: string, @Param('id') id: string, @ZodBody(ruleSchema, { example: ruleExample, inputLabel: RULE_LABEL }) input: RuleInput): Promise<RuleView> {
    return this.rules.replace(tenantId, parseNamed('id', idParam, id), input);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles(Role.Administrator)
  async remove(@TenantId() tenantId: string, @Param('id') id: string): Promise<void> {
    await this.rules.remove(tenantId, parseNamed('id', idParam, id));
  }
}
