import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';

export interface CrmCallStart {
  tenantId: string;
  sessionId: string;
  step: string;
  attempt: number;
  endpoint: string;
  method: string;
  /** Already redacted (redactedCallUrl). */
  url: string;
  startedAt: Date;
}

export interface CrmCallEnd {
  outcome: 'ok' | 'not_found' | 'failed';
  httpStatus?: number;
  error?: string;
  finishedAt: Date;
}

/** Longest error kept per call. */
const MAX_ERROR = 1_000;

/** crm_sync.crm_call: each HTTP call a session's flow made to the CRM, written before it is sent and completed after. */
@Injectable()
export class CrmCallLogRepository {
  constructor(private readonly database: PrismaService) {}

  async start(call: CrmCallStart): Promise<bigint> {
    const row = await this.database.crmCall.create({ data: { ...call, outcome: 'in_flight' }, select: { id: true } });
    return row.id;
  }

  async finish(id: bigint, end: CrmCallEnd): Promise<void> {
    await this.database.crmCall.update({ where: { id }, data: { ...end, error: end.error?.slice(0, MAX_ERROR) ?? null } });
  }

  /** A session's calls, oldest first, for one tenant only. */
  list(tenantId: string, sessionId: string) {
    return this.database.crmCall.findMany({ where: { tenantId, sessionId }, orderBy: { id: 'asc' }, take: 1_000 });
  }

  /**
   * Whether an earlier try of this step made a call that may have taken effect while the step's result was never
   * committed: one whose answer was never recorded (the process died during it), or one answered `ok` (the process
   * died after the answer, before the step's transaction). Only asked while the step's result is missing.
   */
  async hasUncommittedCall(tenantId: string, sessionId: string, step: string, endpoint: string): Promise<boolean> {
    return (await this.database.crmCall.count({ where: { tenantId, sessionId, step, endpoint, outcome: { in: ['in_flight', 'ok'] } } })) > 0;
  }
}
