import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { ZodBody } from '@switchboard/validation';
import type { DataDipAnswer } from './data-dip-answer';
import { type DataDipRequest, dataDipRequestSchema } from './data-dip.schema';
import { DataDipService } from './data-dip.service';

@ApiTags('dynamics data dip')
@ApiBearerAuth()
@Controller('crm/dynamics/data-dip')
export class DataDipController {
  constructor(private readonly dataDip: DataDipService) {}

  @Post()
  @HttpCode(200)
  @Roles(Role.Administrator, Role.OmnichannelSupervisor, Role.OmnichannelAgent)
  @ApiOperation({
    summary: "IVR data dip (CS7): the caller's ANI → greeting, routing decision and screen-pop URL from Dynamics 365",
    description:
      'Looks the caller up in Dataverse (contacts by telephone1/mobilephone, then the latest incident) within the tenant\'s answer budget. ' +
      'outcome is case_found, no_case, customer_not_found, crm_timeout, crm_throttled or crm_error; every outcome routes the caller to an agent.',
  })
  answer(@TenantId() tenantId: string, @ZodBody(dataDipRequestSchema, { example: { ani: '+12125550123' }, inputLabel: 'The request body' }) { ani }: DataDipRequest): Promise<DataDipAnswer> {
    return this.dataDip.answer(tenantId, ani);
  }
}
