import { Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { closed, lowerCaseGuid, parseNamed, ZodBody, ZodQuery } from '@switchboard/validation';
import type { RenderedMessage } from './template-rendering';
import { type PreviewInput, previewExample, previewSchema, TEMPLATE_LABEL, templateExample, type TemplateInput, templateSchema, type TemplateView } from './templates.schema';
import { TemplatesService } from './templates.service';

const idParam = lowerCaseGuid();
const noQuery = closed({});

@ApiTags('message templates')
@ApiBearerAuth()
@Roles(Role.Administrator)
@Controller('outbound/templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a message template (OM1.1)',
    description:
      'Placeholders are written {{Name}}: CustomerName, CaseName or any context item key (letters, digits, _; matched in any letter case). ' +
      'WhatsApp versions name the approved template (providerTemplateId) and fill its numbered variables from placeholder text.',
  })
  create(@TenantId() tenantId: string, @ZodBody(templateSchema, { example: templateExample, inputLabel: TEMPLATE_LABEL }) template: TemplateInput): Promise<TemplateView> {
    return this.templates.create(tenantId, template);
  }

  @Get()
  @ApiOperation({ summary: "The tenant's message templates" })
  async list(@TenantId() tenantId: string, @ZodQuery(noQuery, { inputLabel: 'The query' }) _query: object): Promise<{ items: TemplateView[] }> {
    return { items: await this.templates.list(tenantId) };
  }

  @Get(':id')
  get(@TenantId() tenantId: string, @Param('id') id: string): Promise<TemplateView> {
    return this.templates.get(tenantId, parseNamed('id', idParam, id));
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replace a message template' })
  replace(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @ZodBody(templateSchema, { example: templateExample, inputLabel: TEMPLATE_LABEL }) template: TemplateInput,
  ): Promise<TemplateView> {
    return this.templates.replace(tenantId, parseNamed('id', idParam, id), template);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a message template no configuration uses (else 409 TemplateInUse)' })
  async remove(@TenantId() tenantId: string, @Param('id') id: string): Promise<void> {
    await this.templates.remove(tenantId, parseNamed('id', idParam, id));
  }

  @Post(':id/preview')
  @HttpCode(200)
  @Roles(Role.Administrator, Role.OmnichannelSupervisor)
  @ApiOperation({
    summary: "Render the template for one contact's values (OM1.2, OM1.3): chosen locale, text, SMS encoding and segment count",
    description: '422 MissingPlaceholderValue names every placeholder without a value.',
  })
  preview(@TenantId() tenantId: string, @Param('id') id: string, @ZodBody(previewSchema, { example: previewExample, inputLabel: 'The preview request' }) input: PreviewInput): Promise<RenderedMessage> {
    return this.templates.preview(tenantId, parseNamed('id', idParam, id), input);
  }
}
