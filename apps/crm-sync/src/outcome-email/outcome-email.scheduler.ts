import { Injectable } from '@nestjs/common';
import type { SessionEnded } from '@switchboard/contracts';
import { JobsService } from '@switchboard/jobs';
import { CrmSyncConfig } from '../config';
import type { CrmSyncTx } from '../database/prisma.service';
import type { Prisma } from '../generated/prisma/client';
import { outcomeEmailRecipient } from './outcome-email-recipient';
import { OutcomeEmailSettingsRepository } from './outcome-email-settings.repository';
import { outcomeEmailKey, outcomeEmailQueue } from './outcome-email.queue';

/**
 * On a SessionEnded (CS6.2): for a session completed successfully whose settings name a recipient
 * (CS6.1), keeps its metadata and schedules the e-mail for OUTCOME_EMAIL_DELAY_SEC after it ended —
 * in the consumer's transaction, so the job exists exactly when the event counts as consumed. A
 * re-issued SessionEnded (a late CSAT) refreshes the metadata of the same job; failed and abandoned
 * sessions get no mail. Callable by any contact.session.v1 consumer (crm-sync's is ContactSessionConsumer).
 */
@Injectable()
export class OutcomeEmailScheduler {
  constructor(
    private readonly settings: OutcomeEmailSettingsRepository,
    private readonly jobs: JobsService,
    private readonly config: CrmSyncConfig,
  ) {}

  async onSessionEnded(tx: CrmSyncTx, tenantId: string, ended: SessionEnded): Promise<void> {
    if (ended.outcome !== 'completed') return;
    const settings = await this.settings.find(tenantId, tx);
    if (!settings) return;
    const queueId = ended.metadata.session.queue.id;
    const recipient = outcomeEmailRecipient(settings.global, settings.queues.find((queue) => queue.queueId === queueId));
    if (!recipient) return;
    const row = { metadata: ended.metadata as unknown as Prisma.InputJsonValue, version: ended.version, transcripts: (ended.transcripts ?? []) as Prisma.InputJsonValue, recipient };
    const key = { tenantId_sessionId: { tenantId, sessionId: ended.sessionId } };
    const existing = await tx.outcomeEmail.findUnique({ where: key, select: { version: true } });
    if (!existing) await tx.outcomeEmail.create({ data: { tenantId, sessionId: ended.sessionId, ...row } });
    else if (existing.version < ended.version) await tx.outcomeEmail.update({ where: key, data: row });
    const runAt = new Date(Date.parse(ended.times.endedAt) + this.config.OUTCOME_EMAIL_DELAY_SEC * 1000);
    await this.jobs.schedule(tx, outcomeEmailQueue, [{ key: outcomeEmailKey(tenantId, ended.sessionId), tenantId, payload: { sessionId: ended.sessionId }, runAt }]);
  }
}
