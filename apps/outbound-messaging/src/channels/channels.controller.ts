import { Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { closed, lowerCaseGuid, parseNamed, ZodBody, ZodQuery } from '@switchboard/validation';
import { CHANNEL_LABEL, channelExample, type ChannelInput, channelSchema, type ChannelView } from './channels.schema';
import { ChannelsService } from './channels.service';

const idParam = lowerCaseGuid();
const noQuery = closed({});
const DESCRIPTION =
  'The sender (E.164 number, short code, alphanumeric id, Twilio messaging service or WhatsApp number) decides the default throughput: ' +
  'long code 1/s, toll-free 3/s, short code 100/s, alphanumeric 10/s, WhatsApp 80/s; messagesPerSecond overrides it. ' +
  'Credentials are write-only (leave them out to keep the stored ones); provider URLs that reach private addresses are refused (422 UrlNotAllowed).';

@ApiTags('outbound channels')
@ApiBearerAuth()
@Roles(Role.Administrator)
@Controller('outbound/channels')
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a sending channel: provider, sender, throughput limit (OM2.1, OM3.4)', description: DESCRIPTION })
  create(@TenantId() tenantId: string, @ZodBody(channelSchema, { example: channelExample, inputLabel: CHANNEL_LABEL }) channel: ChannelInput): Promise<ChannelView> {
    return this.channels.create(tenantId, channel);
  }

  @Get()
  @ApiOperation({ summary: "The tenant's sending channels (credentials never shown)" })
  async list(@TenantId() tenantId: string, @ZodQuery(noQuery, { inputLabel: 'The query' }) _query: object): Promise<{ items: ChannelView[] }> {
    return { items: await this.channels.list(tenantId) };
  }

  @Get(':id')
  get(@TenantId() tenantId: string, @Param('id') id: string): Promise<ChannelView> {
    return this.channels.get(tenantId, parseNamed('id', idParam, id));
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replace a sending channel', description: DESCRIPTION })
  replace(@TenantId() tenantId: string, @Param('id') id: string, @ZodBody(channelSchema, { example: channelExample, inputLabel: CHANNEL_LABEL }) channel: ChannelInput): Promise<ChannelView> {
    return this.channels.replace(tenantId, parseNamed('id', idParam, id), channel);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a channel no configuration uses (else 409 ChannelInUse)' })
  async remove(@TenantId() tenantId: string, @Param('id') id: string): Promise<void> {
    await this.channels.remove(tenantId, parseNamed('id', idParam, id));
  }
}
