import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { ZodBody } from '@switchboard/validation';
import type { FastifyRequest } from 'fastify';
import { invokeExample, type InvokeRequest, invokeRequestSchema, type InvokeResponse } from './invoke.schema';
import { InvokeService } from './invoke.service';

export const INVOKE_PATH = 'api/data/v9.2/msdyn_InvokeOutboundAPI';
const RESPONSE_TYPE = 'Microsoft.Dynamics.CRM.msdyn_InvokeOutboundAPIResponse';

@ApiTags('invoke')
@ApiBearerAuth()
@Controller()
export class InvokeController {
  constructor(private readonly invokeService: InvokeService) {}

  /** The flow action's equivalent (OM3.1), with the source's field names. */
  @Post(INVOKE_PATH)
  @HttpCode(200)
  @Roles(Role.OmnichannelSupervisor, Role.Administrator)
  @ApiOperation({
    summary: 'msdyn_InvokeOutboundAPI: send a configuration\'s message to up to 100 contacts (OM3)',
    description:
      'Answers per contact: accepted (queued, with its messageId), skipped (option false) or rejected with the reason; messages are sent asynchronously. ' +
      'More than 100 contacts → 400 (send batches of 100); more than 30,000 requests per organisation per hour → 429 with Retry-After; ' +
      'every contact rejected → 400 NoContactAccepted naming each problem; an unknown (or another tenant\'s) configuration → 404 ConfigurationNotFound.',
  })
  async invoke(
    @TenantId() tenantId: string,
    @ZodBody(invokeRequestSchema, { example: invokeExample, inputLabel: 'The request body' }) body: InvokeRequest,
    @Req() request: FastifyRequest,
  ): Promise<InvokeResponse> {
    const answer = await this.invokeService.invoke(tenantId, body);
    return { '@odata.context': `${request.protocol}://${request.host}/api/data/v9.2/$metadata#${RESPONSE_TYPE}`, ...answer };
  }
}
