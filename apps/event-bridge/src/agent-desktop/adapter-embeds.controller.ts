import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Role, Roles } from '@switchboard/auth';
import { ZodQuery } from '@switchboard/validation';
import type { z } from 'zod';
import { type AdapterEmbeds, adapterEmbeds, adapterEmbedsQuery } from './adapter-embeds';

@ApiTags('agent pages')
@ApiBearerAuth()
@Controller('adapter-embeds')
export class AdapterEmbedsController {
  /** The iframe snippets that embed a tenant's call and chat adapters in a CRM page (EB3.4). */
  @Get()
  @Roles(Role.Administrator, Role.OmnichannelAgent)
  @ApiOperation({ summary: 'Call (290×600) and chat (450×590) adapter iframe snippets for an adapter host' })
  @ApiResponse({ status: 200, description: '{adapterHost, call, chat}: each {url, width, height, allow, html}' })
  get(@ZodQuery(adapterEmbedsQuery, { inputLabel: 'The query' }) query: z.output<typeof adapterEmbedsQuery>): AdapterEmbeds {
    return adapterEmbeds(query.adapterHost);
  }
}
