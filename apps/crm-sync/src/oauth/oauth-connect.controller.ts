import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public, Role, Roles, TenantId } from '@switchboard/auth';
import { EmptyBody, ZodQuery } from '@switchboard/validation';
import { z } from 'zod';
import { type AuthorizeAnswer, CALLBACK_PATH, OAuthConnectService } from './oauth-connect.service';

const callbackQuery = z.object({
  state: z.string().min(1).max(4096),
  code: z.string().min(1).max(4096).optional(),
  error: z.string().min(1).max(200).regex(/^[\x20-\x7e]*$/, 'must be visible ASCII').optional(),
  error_description: z.string().max(2000).optional(),
  scope: z.string().max(2000).optional(),
  iss: z.string().max(2048).optional(),
});

@ApiTags('custom CRM')
@Controller()
export class OAuthConnectController {
  constructor(private readonly connect: OAuthConnectService) {}

  @Post('crm/custom/oauth/authorize')
  @HttpCode(200)
  @ApiBearerAuth()
  @Roles(Role.Administrator)
  @ApiOperation({
    summary: "Start connecting the tenant's CRM (OAuth 2.0 authorization code, CS1.1): the URL to open in a browser",
    description: `The URL carries state and a PKCE challenge; after approval the CRM redirects to ${CALLBACK_PATH}, which stores the refresh token sealed. Valid 10 minutes.`,
  })
  authorize(@TenantId() tenantId: string, @EmptyBody() _body: object | undefined): Promise<AuthorizeAnswer> {
    return this.connect.authorize(tenantId);
  }

  @Get(CALLBACK_PATH.slice(1))
  @Public()
  @ApiOperation({ summary: "The CRM's redirect after an administrator approved (no token: the sealed state names the tenant)" })
  async callback(@ZodQuery(callbackQuery, { inputLabel: 'The query' }) query: z.output<typeof callbackQuery>): Promise<{ connected: true }> {
    await this.connect.callback(query);
    return { connected: true };
  }
}
