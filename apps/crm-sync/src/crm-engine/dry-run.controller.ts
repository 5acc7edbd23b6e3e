import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { ZodBody } from '@switchboard/validation';
import { type DryRunAnswer, dryRunExample, type DryRunInput, dryRunSchema } from './dry-run.schema';
import { DryRunService } from './dry-run.service';

@ApiTags('custom CRM')
@ApiBearerAuth()
@Roles(Role.Administrator)
@Controller('crm/custom/dry-run')
export class DryRunController {
  constructor(private readonly dryRun: DryRunService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'The requests the engine would send for a sample session, step by step (authentication redacted)',
    description: 'With "execute": true the account and record find-or-create flow really runs against the CRM, and each answer and extracted id is shown.',
  })
  run(@TenantId() tenantId: string, @ZodBody(dryRunSchema, { example: dryRunExample, inputLabel: 'The request body' }) input: DryRunInput): Promise<DryRunAnswer> {
    return this.dryRun.run(tenantId, input);
  }
}
