import { Injectable, NotFoundException } from '@nestjs/common';
import { Clock } from '@switchboard/clock';
import { JobsService } from '@switchboard/jobs';
import { PrismaService } from '../database/prisma.service';
import type { ExportFile } from '../generated/prisma/client';
import { ExportFilesRepository } from './export-files.repository';
import { exportFileQueue } from './file-export.job';

/** One export file as the API shows it. */
export interface ExportFileView {
  kind: string;
  fileName: string;
  path: string;
  contentType: string;
  status: string;
  attempts: number;
  /** When the next try runs (pending files). */
  nextAttemptAt: string | null;
  lastError: { kind: string | null; message: string } | null;
  size: number | null;
  sha256: string | null;
  storageUrl: string | null;
  exportedAt: string | null;
}

/** The list and retry commands of SE3.3. */
@Injectable()
export class ExportsQueryService {
  constructor(
    private readonly database: PrismaService,
    private readonly files: ExportFilesRepository,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
  ) {}

  async list(tenantId: string, sessionId: string): Promise<{ sessionId: string; files: ExportFileView[] }> {
    const files = await this.files.listForSession(tenantId, sessionId);
    if (files.length === 0) throw sessionNotFound(sessionId);
    const jobs = new Map((await this.jobs.list(exportFileQueue, { tenantId, keyPrefix: `${tenantId}/${sessionId}/`, limit: 1_000 })).map((job) => [job.key, job]));
    return { sessionId, files: files.map((file) => view(file, jobs.get(file.jobKey)?.runAt)) };
  }

  /** Failed files back to pending and their jobs due now, in one transaction. */
  async retryFailed(tenantId: string, sessionId: string): Promise<{ retried: string[] }> {
    const retried = await this.database.transaction(async (tx) => {
      const any = await tx.exportFile.count({ where: { tenantId, sessionId } });
      if (any === 0) throw sessionNotFound(sessionId);
      const failed = await this.files.reopenFailed(tx, tenantId, sessionId, this.clock.now());
      for (const file of failed) await this.jobs.retry(exportFileQueue, file.jobKey, tx);
      return failed.map((file) => file.fileName);
    });
    return { retried };
  }
}

function sessionNotFound(sessionId: string): NotFoundException {
  // Another tenant's session is as unknown as one nobody has.
  return new NotFoundException({ code: 'SessionNotFound', message: `No exports for session ${sessionId}` });
}

function view(file: ExportFile, runAt: Date | undefined): ExportFileView {
  return {
    kind: file.kind,
    fileName: file.fileName,
    path: file.path,
    contentType: file.contentType,
    status: file.status,
    attempts: file.attempts,
    nextAttemptAt: file.status === 'pending' && runAt ? runAt.toISOString() : null,
    lastError: file.lastError ? { kind: file.errorKind, message: file.lastError } : null,
    size: file.size === null ? null : Number(file.size),
    sha256: file.sha256,
    storageUrl: file.storageUrl,
    exportedAt: file.exportedAt?.toISOString() ?? null,
  };
}
