import { Injectable } from '@nestjs/common';
import type { SessionValues } from '../crm-engine/crm-variables';
import { CrmSyncTx, PrismaService } from '../database/prisma.service';
import type { CrmSessionFlow, Prisma } from '../generated/prisma/client';

/** What the flow keeps of a session: the CS3.1 variables and the number the customer dialled (CS5.1). */
export type FlowValues = SessionValues & { SUPPORT_PHONE_NUMBER?: string };

export interface SessionFlow extends Omit<CrmSessionFlow, 'values'> {
  values: FlowValues;
}

export type SessionFlowChanges = Partial<Omit<SessionFlow, 'tenantId' | 'sessionId' | 'createdAt' | 'updatedAt'>>;

/** crm_sync.crm_session_flow: one row per (tenant, session), changed under a row lock by the consumer and the step jobs. */
@Injectable()
export class SessionFlowRepository {
  constructor(private readonly database: PrismaService) {}

  find(tenantId: string, sessionId: string): Promise<SessionFlow | null> {
    return this.database.crmSessionFlow.findUnique({ where: { tenantId_sessionId: { tenantId, sessionId } } }) as Promise<SessionFlow | null>;
  }

  /**
   * The session's row, created when it is the first event of the session, locked until `tx` ends:
   * the consumer and the step jobs of one session change it one after the other.
   */
  async lock(tx: CrmSyncTx, tenantId: string, sessionId: string): Promise<SessionFlow> {
    await tx.$executeRawUnsafe(
      `INSERT INTO crm_sync.crm_session_flow (tenant_id, session_id, values, popped_agent_ids, pii_pop_event_ids, updated_at)
       VALUES ($1::uuid, $2, '{}'::jsonb, '{}', '{}', now()) ON CONFLICT DO NOTHING`,
      tenantId,
      sessionId,
    );
    await tx.$queryRawUnsafe(`SELECT 1 FROM crm_sync.crm_session_flow WHERE tenant_id = $1::uuid AND session_id = $2 FOR UPDATE`, tenantId, sessionId);
    return (await tx.crmSessionFlow.findUniqueOrThrow({ where: { tenantId_sessionId: { tenantId, sessionId } } })) as SessionFlow;
  }

  async update(tx: CrmSyncTx, flow: SessionFlow, changes: SessionFlowChanges): Promise<SessionFlow> {
    const { values, ...columns } = changes;
    return (await tx.crmSessionFlow.update({
      where: { tenantId_sessionId: { tenantId: flow.tenantId, sessionId: flow.sessionId } },
      data: { ...columns, ...(values ? { values: values as Prisma.InputJsonValue } : {}) },
    })) as SessionFlow;
  }
}
