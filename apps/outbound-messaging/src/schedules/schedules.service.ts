import { BadRequestException, ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { Clock } from '@switchboard/clock';
import { JobsService } from '@switchboard/jobs';
import { isUniqueViolation } from '../common/constraint-errors';
import { PrismaService } from '../database/prisma.service';
import type { ScheduleRun, SendSchedule } from '../generated/prisma/client';
import { ConfigurationLoader } from '../invoke/configuration-loader';
import { planBatch } from '../invoke/contact-batch';
import type { ContactResult } from '../invoke/invoke.schema';
import { cronProblem, nextOccurrence } from './recurrence';
import { scheduledSendKey, scheduledSendQueue } from './scheduled-send.queue';
import type { ScheduleInput, ScheduleRunView, ScheduleView } from './schedules.schema';
import { SchedulesRepository } from './schedules.repository';

/** Scheduled sends (OM4.3): a schedule and the durable job of its first occurrence, created together. */
@Injectable()
export class SchedulesService {
  constructor(
    private readonly schedules: SchedulesRepository,
    private readonly configurations: ConfigurationLoader,
    private readonly database: PrismaService,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
  ) {}

  async create(tenantId: string, input: ScheduleInput): Promise<ScheduleView> {
    const now = this.clock.now();
    const firstRun = this.firstRun(input, now);
    await this.checkContacts(tenantId, input, now);
    try {
      const row = await this.database.transaction(async (tx) => {
        const schedule = await this.schedules.create(tx, tenantId, {
          name: input.name,
          configurationId: input.configurationId,
          kind: input.cron === undefined ? 'once' : 'cron',
          cron: input.cron ?? null,
          timeZone: input.timeZone,
          contacts: input.ContactList,
          nextRunAt: firstRun,
        });
        await this.jobs.schedule(tx, scheduledSendQueue, [{ key: scheduledSendKey(schedule.id, firstRun), tenantId, payload: { scheduleId: schedule.id, occurrence: firstRun.toISOString() }, runAt: firstRun }]);
        return schedule;
      });
      return toView(row);
    } catch (error) {
      throw isUniqueViolation(error) ? new ConflictException({ code: 'ScheduleNameTaken', message: `A scheduled send named "${input.name}" already exists` }) : error;
    }
  }

  async list(tenantId: string): Promise<ScheduleView[]> {
    return (await this.schedules.list(tenantId)).map(toView);
  }

  /** Another tenant's schedule answers exactly like a missing one (P1.1). */
  async get(tenantId: string, id: string): Promise<ScheduleView> {
    const row = await this.schedules.find(tenantId, id);
    if (!row) throw notFound(id);
    return toView(row);
  }

  /** Stops an active schedule (kept, with its runs, as `cancelled`); 409 when it already completed or was cancelled. */
  async cancel(tenantId: string, id: string): Promise<ScheduleView> {
    const existing = await this.get(tenantId, id);
    if (!(await this.schedules.cancel(tenantId, id))) throw new ConflictException({ code: 'ScheduleNotActive', message: `Scheduled send ${id} is ${existing.status}` });
    return this.get(tenantId, id);
  }

  async runs(tenantId: string, id: string, limit: number): Promise<ScheduleRunView[]> {
    await this.get(tenantId, id);
    return (await this.schedules.runs(tenantId, id, limit)).map(runView);
  }

  private firstRun(input: ScheduleInput, now: Date): Date {
    if (input.at !== undefined) {
      const at = new Date(input.at);
      if (at.getTime() <= now.getTime()) throw new BadRequestException({ code: 'ScheduleInThePast', message: `at (${input.at}) is not in the future`, details: [{ field: 'at', message: 'must be in the future' }] });
      return at;
    }
    if (input.afterSeconds !== undefined) return new Date(now.getTime() + input.afterSeconds * 1_000);
    const problem = cronProblem(input.cron as string, input.timeZone, now);
    if (problem) throw new BadRequestException({ code: 'InvalidCron', message: `cron "${input.cron}" ${problem}`, details: [{ field: 'cron', message: problem }] });
    return nextOccurrence(input.cron as string, input.timeZone, now) as Date;
  }

  /** The configuration must be the tenant's and every contact acceptable now (OM3.1), so a schedule fails at creation rather than at its hour. */
  private async checkContacts(tenantId: string, input: ScheduleInput, now: Date): Promise<void> {
    const configuration = await this.configurations.load(tenantId, input.configurationId);
    if (!configuration) {
      throw new UnprocessableEntityException({ code: 'ScheduleConfigurationInvalid', message: 'configurationId names no outbound configuration of this tenant', details: [{ field: 'configurationId', message: 'names no outbound configuration of this tenant' }] });
    }
    const { decisions } = await planBatch({ tenantId, requestId: '00000000-0000-4000-8000-000000000000', at: now }, configuration, input.ContactList, async () => new Map());
    const details = decisions.flatMap((decision, index) => (decision.kind === 'reject' ? decision.problems.map((problem) => ({ field: `ContactList[${index}]${problem.field ? `.${problem.field}` : ''}`, message: problem.message })) : []));
    if (details.length > 0) throw new BadRequestException({ code: 'ContactsRejected', message: `Contacts rejected: ${details.map((detail) => `${detail.field}: ${detail.message}`).join('; ')}`.slice(0, 2_000), details });
  }
}

function toView(row: SendSchedule): ScheduleView {
  return {
    id: row.id,
    name: row.name,
    configurationId: row.configurationId,
    kind: row.kind,
    cron: row.cron,
    timeZone: row.timeZone,
    status: row.status,
    nextRunAt: row.nextRunAt?.toISOString() ?? null,
    lastRunAt: row.lastRunAt?.toISOString() ?? null,
    ContactList: row.contacts as unknown[],
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function runView(row: ScheduleRun): ScheduleRunView {
  return { occurrence: row.occurrence.toISOString(), firedAt: row.firedAt.toISOString(), requestId: row.requestId, accepted: row.accepted, skipped: row.skipped, rejected: row.rejected, ContactList: row.results as unknown as ContactResult[] };
}

function notFound(id: string): NotFoundException {
  return new NotFoundException({ code: 'ScheduleNotFound', message: `No scheduled send ${id}` });
}
