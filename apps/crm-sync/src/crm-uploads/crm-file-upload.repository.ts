import { Injectable } from '@nestjs/common';
import type { FileForCrm } from '@switchboard/contracts';
import { CrmSyncTx, PrismaService } from '../database/prisma.service';
import type { CrmFileUpload } from '../generated/prisma/client';

export type { CrmFileUpload };

/** crm_sync.crm_file_upload: the files handed over for the CRM (SE1.4) and what their upload made of them (CS2.6). */
@Injectable()
export class CrmFileUploadRepository {
  constructor(private readonly database: PrismaService) {}

  find(tenantId: string, sessionId: string, fileName: string): Promise<CrmFileUpload | null> {
    return this.database.crmFileUpload.findUnique({ where: { tenantId_sessionId_fileName: { tenantId, sessionId, fileName } } });
  }

  listForSession(tenantId: string, sessionId: string) {
    return this.database.crmFileUpload.findMany({
      where: { tenantId, sessionId },
      orderBy: { receivedAt: 'asc' },
      select: { fileName: true, fileKind: true, contentType: true, size: true, status: true, attachmentId: true, attachmentUrl: true, receivedAt: true, uploadedAt: true },
    });
  }

  /**
   * Keeps a handed-over file. A file handed over again before it was uploaded (storage-export's retry) brings a
   * fresh link and checksum; one already uploaded is left as it is. Returns the row's status afterwards.
   */
  async accept(tx: CrmSyncTx, tenantId: string, eventId: string, file: FileForCrm): Promise<'pending' | 'uploaded'> {
    const fields = {
      fileKind: file.fileKind,
      contentType: file.contentType,
      size: file.size,
      sha256: file.sha256,
      downloadUrl: file.download.url,
      downloadUntil: file.download.expiresAt ? new Date(file.download.expiresAt) : null,
      storageUrl: file.storageUrl,
      eventId,
    };
    const existing = await tx.crmFileUpload.findUnique({ where: { tenantId_sessionId_fileName: { tenantId, sessionId: file.sessionId, fileName: file.fileName } } });
    if (existing?.status === 'uploaded') return 'uploaded';
    if (existing) {
      await tx.crmFileUpload.update({ where: { tenantId_sessionId_fileName: { tenantId, sessionId: file.sessionId, fileName: file.fileName } }, data: { ...fields, status: 'pending' } });
    } else {
      await tx.crmFileUpload.create({ data: { tenantId, sessionId: file.sessionId, fileName: file.fileName, status: 'pending', ...fields } });
    }
    return 'pending';
  }

  /** The CRM has the file: its attachment id and URL kept, the download link (a capability) forgotten. */
  async markUploaded(tx: CrmSyncTx, upload: CrmFileUpload, attachment: { id?: string; url?: string }, at: Date): Promise<void> {
    await tx.crmFileUpload.update({
      where: { tenantId_sessionId_fileName: { tenantId: upload.tenantId, sessionId: upload.sessionId, fileName: upload.fileName } },
      data: { status: 'uploaded', attachmentId: attachment.id ?? null, attachmentUrl: attachment.url ?? null, uploadedAt: at, downloadUrl: null, downloadUntil: null },
    });
  }

}
