import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@switchboard/clock';
import { type ExportFileKind, StorageExportEventTypes, Topics } from '@switchboard/contracts';
import { defineJobQueue, type Job, type JobCompletion, JobFailedPermanently, JobHandler, type JobRetryPolicy, RetryJobLater } from '@switchboard/jobs';
import { OutboxPublisher, type OutboxEntry } from '@switchboard/messaging';
import { z } from 'zod';
import type { StorageDestination, StoredFile } from '../destinations';
import { PrismaService } from '../database/prisma.service';
import type { ExportFile } from '../generated/prisma/client';
import { exportFailureOf, type ExportFailure } from './export-errors';
import { type DeliveredFile, ExportFilesRepository } from './export-files.repository';
import { ExportSettingsSource, type ExportSettings } from './export-settings';
import { ExportSources, type OpenedSource } from './export-sources';
import { CrmHandover } from './crm-handover';

export const exportFilePayloadSchema = z.object({ exportFileId: z.uuid() });
export type ExportFilePayload = z.infer<typeof exportFilePayloadSchema>;

/** One durable job per session file (and generation): fetch or read its bytes, deliver them, record it. */
export const exportFileQueue = defineJobQueue('storage-export.file', exportFilePayloadSchema);

/** SE3.3 retries with back-off: 1 s doubling to 5 min, 10 tries (about 17 minutes in all). */
export const EXPORT_RETRY_POLICY: JobRetryPolicy = { maxAttempts: 10, initialDelayMs: 1_000, maxDelayMs: 300_000 };

/**
 * Delivers one export file (SE3.3): idempotent — a file already delivered (by this generation) is not
 * sent again, and a file whose checksum is known in advance is not re-sent when the destination already
 * holds it with that checksum (a re-run after a crash between the upload and the commit). The
 * outcome, with its events, commits in one transaction; after the last try the file is `failed` with
 * the error, visible in the API and announced as FileExportFailed.
 */
@Injectable()
export class FileExportJob {
  private readonly logger = new Logger('FileExport');

  constructor(
    private readonly database: PrismaService,
    private readonly files: ExportFilesRepository,
    private readonly settingsSource: ExportSettingsSource,
    private readonly sources: ExportSources,
    private readonly outbox: OutboxPublisher,
    private readonly clock: Clock,
    private readonly crm: CrmHandover,
  ) {}

  @JobHandler(exportFileQueue, { retry: EXPORT_RETRY_POLICY, concurrency: 4, leaseMs: 120_000 })
  async run(job: Job<ExportFilePayload>, completion: JobCompletion): Promise<void> {
    const file = await this.files.find(job.payload.exportFileId);
    // A superseded generation, or a file already delivered or skipped: nothing to do.
    if (!file || file.jobKey !== job.key || file.status !== 'pending') return;
    const target = await this.settingsSource.exportTargetOf(file.tenantId);
    const notStored = whyNotStored(target?.settings, file.kind as ExportFileKind);
    if (notStored || !target) return this.files.markSkipped(file, notStored ?? 'the tenant has no storage settings', this.clock.now());
    const { settings, destination } = target;

    try {
      const delivered = await this.deliver(file, destination, job.attempts);
      await this.recordExported(file, delivered, settings, destination, completion);
    } catch (error) {
      const failure = exportFailureOf(error);
      const last = !failure.retryable || job.attempts >= EXPORT_RETRY_POLICY.maxAttempts;
      await this.recordFailure(file, failure, job.attempts, last, destination);
      if (!failure.retryable) throw new JobFailedPermanently(`${failure.kind}: ${failure.message}`);
      throw new RetryJobLater(`${failure.kind}: ${failure.message}`, failure.retryAfterMs);
    }
  }

  private async deliver(file: ExportFile, destination: StorageDestination, attempts: number): Promise<DeliveredFile> {
    const source = await this.sources.open(file);
    const already = source.sha256 ? await alreadyThere(destination, file.path, source) : undefined;
    if (already) {
      source.content.destroy();
      return delivered(already, source.sha256!, destination.urlOf(file.path), attempts);
    }
    // The destination hashes the bytes as they pass (SHA-256 and MD5, never held whole, SE3.5): the events carry its figures.
    try {
      const stored = await destination.put({ path: file.path, content: source.content, contentType: file.contentType, size: source.size, checksums: source.sha256 ? { sha256: source.sha256 } : undefined });
      return delivered(stored, stored.sha256, destination.urlOf(file.path), attempts);
    } catch (error) {
      // The source may still be open (a stalled download): it is not read any further.
      source.content.destroy();
      throw error;
    }
  }

  /**
   * The file's row, its events and the job's end in one plain-SQL transaction (every statement here is plain SQL:
   * in npm run bench:export's profile Prisma's transaction machinery alone was 12 % of the CPU of exporting small files).
   */
  private async recordExported(file: ExportFile, done: DeliveredFile, settings: ExportSettings, destination: StorageDestination, completion: JobCompletion): Promise<void> {
    const now = this.clock.now();
    await this.database.sqlTransaction(async (tx) => {
      if (!(await this.files.markExported(tx, file, done, now))) return;
      const ref = { sessionId: file.sessionId, fileKind: file.kind as ExportFileKind, fileName: file.fileName, path: file.path, storageUrl: done.storageUrl, backend: destination.backend };
      const entries: OutboxEntry[] = [
        this.entry(file, StorageExportEventTypes.fileExported, {
          ...ref,
          contentType: file.contentType,
          size: done.size,
          sha256: done.sha256,
          ...(done.md5 && { md5: done.md5 }),
          exportedAt: now.toISOString(),
          attempts: done.attempts,
        }),
      ];
      const download = settings.sendToCrm ? this.crm.downloadOf(file, now) : undefined;
      if (download) {
        entries.push(
          this.entry(file, StorageExportEventTypes.fileForCrm, {
            sessionId: file.sessionId,
            fileKind: file.kind,
            fileName: file.fileName,
            contentType: file.contentType,
            size: done.size,
            sha256: done.sha256,
            download,
            storageUrl: done.storageUrl,
          }),
        );
      }
      await this.outbox.enqueue(tx, entries);
      await completion.succeedWithin(tx);
    });
  }

  private async recordFailure(file: ExportFile, failure: ExportFailure, attempts: number, last: boolean, destination: StorageDestination): Promise<void> {
    const now = this.clock.now();
    const storageUrl = destination.urlOf(file.path);
    this.logger.warn(`export of ${file.path} for tenant ${file.tenantId}, try ${attempts}${last ? ' (last)' : ''}: ${failure.kind}: ${failure.message}`);
    await this.database.transaction(async (tx) => {
      const status = last ? 'failed' : 'pending';
      if (!(await this.files.recordFailedTry(tx, file, { attempts, errorKind: failure.kind, message: failure.message, status }, storageUrl, now)) || !last) return;
      await this.outbox.enqueue(tx, [
        this.entry(file, StorageExportEventTypes.fileExportFailed, {
          sessionId: file.sessionId,
          fileKind: file.kind,
          fileName: file.fileName,
          path: file.path,
          storageUrl,
          backend: destination.backend,
          error: { kind: failure.kind, message: failure.message.slice(0, 2000) },
          attempts,
          failedAt: now.toISOString(),
        }),
      ]);
    });
  }

  private entry(file: ExportFile, type: string, data: object): OutboxEntry {
    return { topic: Topics.storageExport, key: file.sessionId, event: this.outbox.event({ type, subject: file.sessionId, tenantId: file.tenantId, data, time: this.clock.now() }) };
  }
}

function whyNotStored(settings: ExportSettings | undefined, kind: ExportFileKind): string | undefined {
  if (!settings) return 'the tenant has no storage settings';
  if (!settings.enabled) return 'exports are disabled in the storage settings';
  if (!settings.kinds.includes(kind)) return `${kind} files are not among the kinds the storage settings store`;
  return undefined;
}

/** The destination already holds exactly these bytes (same size and SHA-256 or MD5). */
async function alreadyThere(destination: StorageDestination, path: string, source: OpenedSource): Promise<StoredFile | undefined> {
  const existing = await destination.stat(path, { withChecksums: true });
  if (!existing || (source.size !== undefined && existing.size !== source.size)) return undefined;
  if (existing.sha256 !== undefined) return existing.sha256 === source.sha256 ? existing : undefined;
  // Buckets answer the object's MD5 (not its SHA-256): the same bytes when it is the source's.
  return existing.md5 !== undefined && existing.md5 === source.md5 ? existing : undefined;
}

function delivered(stored: StoredFile, sha256: string, storageUrl: string, attempts: number): DeliveredFile {
  return { size: stored.size, sha256, md5: stored.md5, storageUrl, attempts };
}
