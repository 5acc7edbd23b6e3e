import { ConflictException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { Clock } from '@switchboard/clock';
import type { ExportFileKind } from '@switchboard/contracts';
import type { StreamedBody } from '@switchboard/service-kit';
import { createHash, randomUUID } from 'node:crypto';
import { PrismaService } from '../database/prisma.service';
import { contentTypeOfName, type ExportFileName } from './export-layout';
import { ExportSettingsSource } from './export-settings';
import { SessionExportsService } from './session-exports.service';
import { STAGED_CHUNK_BYTES, StagedUploadsRepository } from './staged-uploads.repository';

export interface AcceptedUpload {
  sessionId: string;
  kind: ExportFileKind;
  fileName: string;
  path: string;
  size: number;
  sha256: string;
  status: 'pending';
}

/**
 * An uploaded session file (SE3.5): streamed into staged chunks (each committed as it fills, never the
 * whole file in memory), then accepted in one transaction with its export file and job. Anything that
 * goes wrong before that (too large, cut off, wrong length) removes what was staged: nothing is written.
 */
@Injectable()
export class UploadsService {
  constructor(
    private readonly database: PrismaService,
    private readonly uploads: StagedUploadsRepository,
    private readonly settingsSource: ExportSettingsSource,
    private readonly exports: SessionExportsService,
    private readonly clock: Clock,
  ) {}

  /** 409 when the tenant exports nothing, 422 when it does not store this kind: checked before any byte is read. */
  async checkAccepted(tenantId: string, kind: ExportFileKind): Promise<void> {
    const settings = await this.settingsSource.exportSettingsOf(tenantId);
    if (!settings?.enabled) throw new ConflictException({ code: 'ExportsDisabled', message: 'Exports are not enabled in the storage settings; nothing is accepted' });
    if (!settings.kinds.includes(kind)) throw new UnprocessableEntityException({ code: 'KindNotStored', message: `The storage settings do not store ${kind} files` });
  }

  async accept(tenantId: string, sessionId: string, name: ExportFileName, body: StreamedBody): Promise<AcceptedUpload> {
    const uploadId = randomUUID();
    await this.uploads.begin(uploadId, tenantId, sessionId, this.clock.now());
    let staged: { size: number; sha256: string; md5: string };
    try {
      staged = await this.stageChunks(uploadId, body.chunks());
    } catch (error) {
      await this.uploads.discard(uploadId);
      throw error;
    }
    const now = this.clock.now();
    await this.database.transaction(async (tx) => {
      await this.uploads.complete(tx, uploadId, staged, now);
      await this.exports.stage(tx, { ...name, tenantId, sessionId, contentType: contentTypeOfName(name.fileName), source: { kind: 'upload', uploadId } }, now);
    });
    return { sessionId, kind: name.kind, fileName: name.fileName, path: name.path, size: staged.size, sha256: staged.sha256, status: 'pending' };
  }

  private async stageChunks(uploadId: string, chunks: AsyncIterable<Buffer>): Promise<{ size: number; sha256: string; md5: string }> {
    const sha256 = createHash('sha256');
    const md5 = createHash('md5');
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let size = 0;
    let seq = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      await this.uploads.writeChunk(uploadId, seq++, Buffer.concat(pending, pendingBytes));
      pending = [];
      pendingBytes = 0;
    };
    for await (const chunk of chunks) {
      sha256.update(chunk);
      md5.update(chunk);
      size += chunk.length;
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= STAGED_CHUNK_BYTES) await flush();
    }
    await flush();
    return { size, sha256: sha256.digest('hex'), md5: md5.digest('hex') };
  }
}
