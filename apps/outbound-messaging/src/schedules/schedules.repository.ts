import { Injectable } from '@nestjs/common';
import { PrismaService, type OutboundMessagingTx } from '../database/prisma.service';
import type { ScheduleRun, SendSchedule } from '../generated/prisma/client';

export interface NewSchedule {
  name: string;
  configurationId: string;
  kind: 'once' | 'cron';
  cron: string | null;
  timeZone: string;
  contacts: unknown[];
  nextRunAt: Date;
}

/** outbound_messaging.send_schedule and schedule_run, always within one tenant. */
@Injectable()
export class SchedulesRepository {
  constructor(private readonly database: PrismaService) {}

  create(tx: OutboundMessagingTx, tenantId: string, schedule: NewSchedule): Promise<SendSchedule> {
    return tx.sendSchedule.create({ data: { tenantId, ...schedule, contacts: schedule.contacts as object[], status: 'active' } });
  }

  find(tenantId: string, id: string, tx: OutboundMessagingTx | PrismaService = this.database): Promise<SendSchedule | null> {
    return tx.sendSchedule.findFirst({ where: { tenantId, id } });
  }

  list(tenantId: string): Promise<SendSchedule[]> {
    return this.database.sendSchedule.findMany({ where: { tenantId }, orderBy: { name: 'asc' }, take: 1_000 });
  }

  /** An active schedule stops; its pending job then finds nothing to do. False when none was active. */
  async cancel(tenantId: string, id: string): Promise<boolean> {
    const { count } = await this.database.sendSchedule.updateMany({ where: { tenantId, id, status: 'active' }, data: { status: 'cancelled', nextRunAt: null } });
    return count > 0;
  }

  /**
   * Moves an active schedule on from `occurrence`, only if that is still its next run (not cancelled,
   * not already moved on by another try of the same job): the row lock it takes orders concurrent tries.
   */
  async advance(tx: OutboundMessagingTx, tenantId: string, id: string, occurrence: Date, next: Date | undefined, firedAt: Date): Promise<boolean> {
    const { count } = await tx.sendSchedule.updateMany({
      where: { tenantId, id, status: 'active', nextRunAt: occurrence },
      data: { nextRunAt: next ?? null, lastRunAt: firedAt, status: next ? 'active' : 'completed' },
    });
    return count === 1;
  }

  recordRun(tx: OutboundMessagingTx, run: ScheduleRun): Promise<unknown> {
    return tx.scheduleRun.create({ data: { ...run, results: run.results as object[] } });
  }

  runs(tenantId: string, scheduleId: string, limit: number): Promise<ScheduleRun[]> {
    return this.database.scheduleRun.findMany({ where: { tenantId, scheduleId }, orderBy: { occurrence: 'desc' }, take: limit });
  }
}
