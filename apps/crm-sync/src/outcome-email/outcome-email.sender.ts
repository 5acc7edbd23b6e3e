import { Injectable } from '@nestjs/common';
import type { SessionMetadata } from '@switchboard/contracts';
import { type Job, JobFailedPermanently, JobHandler } from '@switchboard/jobs';
import { findOutboundError, OutboundHttpClient } from '@switchboard/outbound-http';
import { CrmSyncConfig } from '../config';
import { PrismaService } from '../database/prisma.service';
import { type FetchedTranscript, outcomeEmailMessage } from './outcome-email-message';
import { outcomeEmailRecipient } from './outcome-email-recipient';
import { OutcomeEmailSettingsRepository } from './outcome-email-settings.repository';
import { outcomeEmailQueue } from './outcome-email.queue';
import { SmtpMailer } from './smtp-mailer';

interface TranscriptReference {
  id: string;
  url: string;
}

/** A transcript answered with these is gone for good: the mail goes without it. */
const GONE = new Set([401, 403, 404, 410]);

/**
 * Runs the outcome e-mail jobs (CS6.2): reads the session kept by the scheduler, checks the recipient
 * against the settings as they are now (CS6.1), fetches the transcripts through the SSRF-guarded client
 * and sends over SMTP. Idempotent: a mail recorded as sent is not sent again; SMTP or transcript
 * failures are retried by the queue's policy and end, if they persist, as a failed job with the reason.
 */
@Injectable()
export class OutcomeEmailSender {
  constructor(
    private readonly database: PrismaService,
    private readonly settings: OutcomeEmailSettingsRepository,
    private readonly http: OutboundHttpClient,
    private readonly mailer: SmtpMailer,
    private readonly config: CrmSyncConfig,
  ) {}

  @JobHandler(outcomeEmailQueue, { retry: { maxAttempts: 10, initialDelayMs: 30_000, maxDelayMs: 30 * 60_000 }, concurrency: 4 })
  async send(job: Job<{ sessionId: string }>): Promise<void> {
    const tenantId = job.tenantId;
    if (!tenantId) throw new JobFailedPermanently('an outcome e-mail job needs its tenant');
    if (!this.mailer.configured) throw new JobFailedPermanently('OUTCOME_EMAIL_SMTP_URL is not set: outcome e-mails cannot be sent');
    const where = { tenantId_sessionId: { tenantId, sessionId: job.payload.sessionId } };
    const pending = await this.database.outcomeEmail.findUnique({ where });
    if (!pending || pending.sentAt) return;
    const metadata = pending.metadata as unknown as SessionMetadata;
    const settings = await this.settings.find(tenantId);
    const queueId = metadata.session.queue.id;
    // Settings may have changed in the 15 minutes: the mail goes where they say now, or nowhere.
    const to = settings && outcomeEmailRecipient(settings.global, settings.queues.find((queue) => queue.queueId === queueId));
    if (!settings || !to) return;
    const transcripts = await Promise.all((pending.transcripts as unknown as TranscriptReference[]).map((reference) => this.fetchTranscript(reference)));
    const messageId = await this.mailer.send(outcomeEmailMessage({ tenantId, from: this.config.OUTCOME_EMAIL_FROM, to, subject: settings.subject, metadata, transcripts }));
    await this.database.outcomeEmail.update({ where, data: { sentAt: new Date(), messageId, recipient: to } });
  }

  private async fetchTranscript(reference: TranscriptReference): Promise<FetchedTranscript> {
    try {
      const response = await this.http.request({ url: reference.url, headers: { accept: 'text/plain, */*' } });
      if (response.status >= 200 && response.status < 300) return { id: reference.id, text: response.text() };
      if (GONE.has(response.status)) return { id: reference.id, unavailable: `its URL answered ${response.status}` };
      throw new Error(`the transcript ${reference.id} answered ${response.status}`);
    } catch (error) {
      const outbound = findOutboundError(error);
      // A refused address or an oversized transcript will not change by retrying.
      if (outbound && (outbound.kind === 'address-refused' || outbound.kind === 'url-refused' || outbound.kind === 'redirect-refused' || outbound.kind === 'response-too-large')) {
        return { id: reference.id, unavailable: outbound.message };
      }
      throw error;
    }
  }
}
