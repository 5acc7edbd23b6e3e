import { Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { closed, lowerCaseGuid, parseNamed, queryInteger, ZodBody, ZodQuery } from '@switchboard/validation';
import { SCHEDULE_LABEL, scheduleExample, type ScheduleInput, type ScheduleRunView, scheduleSchema, type ScheduleView } from './schedules.schema';
import { SchedulesService } from './schedules.service';

const idParam = lowerCaseGuid();
const noQuery = closed({});
const runsQuery = closed({ limit: queryInteger({ min: 1, max: 500 }).default(100) });

@ApiTags('outbound scheduled sends')
@ApiBearerAuth()
@Controller('outbound/schedules')
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  @Post()
  @Roles(Role.Administrator, Role.OmnichannelSupervisor)
  @ApiOperation({
    summary: 'Schedule a send (OM4.3): at a time, after a duration, or on a cron recurrence in a time zone',
    description:
      'The contacts are judged now as the invoke API would (400 ContactsRejected naming each problem) and again, rendered, at each occurrence. ' +
      'Each occurrence is a durable job: it fires once however many replicas run, and survives restarts.',
  })
  create(@TenantId() tenantId: string, @ZodBody(scheduleSchema, { example: scheduleExample, inputLabel: SCHEDULE_LABEL }) input: ScheduleInput): Promise<ScheduleView> {
    return this.schedules.create(tenantId, input);
  }

  @Get()
  @Roles(Role.Administrator, Role.OmnichannelSupervisor)
  @ApiOperation({ summary: "The tenant's scheduled sends" })
  async list(@TenantId() tenantId: string, @ZodQuery(noQuery, { inputLabel: 'The query' }) _query: object): Promise<{ items: ScheduleView[] }> {
    return { items: await this.schedules.list(tenantId) };
  }

  @Get(':id')
  @Roles(Role.Administrator, Role.OmnichannelSupervisor)
  get(@TenantId() tenantId: string, @Param('id') id: string): Promise<ScheduleView> {
    return this.schedules.get(tenantId, parseNamed('id', idParam, id));
  }

  @Get(':id/runs')
  @Roles(Role.Administrator, Role.OmnichannelSupervisor)
  @ApiOperation({ summary: 'The occurrences that fired, newest first, with each contact\'s outcome' })
  async runs(@TenantId() tenantId: string, @Param('id') id: string, @ZodQuery(runsQuery, { inputLabel: 'The query' }) query: { limit: number }): Promise<{ items: ScheduleRunView[] }> {
    return { items: await this.schedules.runs(tenantId, parseNamed('id', idParam, id), query.limit) };
  }

  @Delete(':id')
  @Roles(Role.Administrator, Role.OmnichannelSupervisor)
  @ApiOperation({ summary: 'Cancel a scheduled send: no further occurrence fires; it stays listed as cancelled with its runs' })
  cancel(@TenantId() tenantId: string, @Param('id') id: string): Promise<ScheduleView> {
    return this.schedules.cancel(tenantId, parseNamed('id', idParam, id));
  }
}
