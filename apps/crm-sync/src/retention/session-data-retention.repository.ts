import { Injectable } from '@nestjs/common';
import type { CrmSyncTx } from '../database/prisma.service';

/** What one sweep removed, per table. */
export interface SweepCounts {
  sessionFlows: number;
  crmCalls: number;
  fileUploads: number;
  outcomeEmails: number;
  agentEvents: number;
}

/**
 * The session data crm-sync keeps that names or points at a customer: the flows' CS3.1 values (name, phone,
 * e-mail, feedback), the call log, the handed-over files (download links, attachment URLs), the outcome
 * e-mails' metadata and recipients, the agent-event log. All of it goes once older than the retention.
 */
@Injectable()
export class SessionDataRetentionRepository {
  async deleteOlderThan(tx: CrmSyncTx, cutoff: Date): Promise<SweepCounts> {
    // A flow is old when it was last changed before the cutoff (an ended session is changed no more).
    const sessionFlows = await tx.$executeRawUnsafe(`DELETE FROM crm_sync.crm_session_flow WHERE updated_at < $1`, cutoff);
    const crmCalls = await tx.$executeRawUnsafe(`DELETE FROM crm_sync.crm_call WHERE coalesce(finished_at, started_at) < $1`, cutoff);
    const fileUploads = await tx.$executeRawUnsafe(`DELETE FROM crm_sync.crm_file_upload WHERE coalesce(uploaded_at, received_at) < $1`, cutoff);
    const outcomeEmails = await tx.$executeRawUnsafe(`DELETE FROM crm_sync.outcome_email WHERE coalesce(sent_at, created_at) < $1`, cutoff);
    const agentEvents = await tx.$executeRawUnsafe(`DELETE FROM crm_sync.agent_event_log WHERE consumed_at < $1`, cutoff);
    return { sessionFlows, crmCalls, fileUploads, outcomeEmails, agentEvents };
  }
}
