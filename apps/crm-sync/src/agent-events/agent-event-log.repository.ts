import { Injectable } from '@nestjs/common';
import { CrmSyncTx, PrismaService } from '../database/prisma.service';

export interface AgentEventLogEntry {
  eventId: string;
  tenantId: string;
  adapterEventType: string;
  sessionId: string;
  occurredAt: Date;
}

/** crm_sync.agent_event_log: the agent-adapter events crm-sync has received, per tenant and session. */
@Injectable()
export class AgentEventLogRepository {
  constructor(private readonly prisma: PrismaService) {}

  async record(tx: CrmSyncTx, entry: AgentEventLogEntry): Promise<void> {
    await tx.agentEventLog.create({ data: entry });
  }

  /** Oldest first, for one tenant only (P1.1). */
  list(tenantId: string, filter: { sessionId?: string; limit: number }) {
    return this.prisma.agentEventLog.findMany({
      where: { tenantId, ...(filter.sessionId ? { sessionId: filter.sessionId } : {}) },
      orderBy: { occurredAt: 'asc' },
      take: filter.limit,
      select: { eventId: true, adapterEventType: true, sessionId: true, occurredAt: true, consumedAt: true },
    });
  }
}
