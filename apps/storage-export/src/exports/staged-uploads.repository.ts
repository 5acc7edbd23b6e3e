import { Injectable } from '@nestjs/common';
import { qualifiedTable } from '@switchboard/persistence';
import { PrismaService, type StorageExportTx } from '../database/prisma.service';
import type { StagedUpload } from '../generated/prisma/client';

/** Bytes per staged chunk row: large enough for few rows, small enough to hold a handful in memory. */
export const STAGED_CHUNK_BYTES = 1024 * 1024;

/** staged_upload and its chunks: uploaded files kept in Postgres until delivered (durable, shared by replicas). */
@Injectable()
export class StagedUploadsRepository {
  private readonly chunkTable: string;

  constructor(private readonly database: PrismaService) {
    this.chunkTable = qualifiedTable(database.schema, 'staged_upload_chunk');
  }

  async begin(id: string, tenantId: string, sessionId: string, now: Date): Promise<void> {
    await this.database.stagedUpload.create({ data: { id, tenantId, sessionId, state: 'receiving', createdAt: now } });
  }

  /** One chunk, committed on its own: a large upload is never one long transaction. */
  async writeChunk(uploadId: string, seq: number, data: Buffer): Promise<void> {
    await this.database.sql.$executeRawUnsafe(`INSERT INTO ${this.chunkTable} (upload_id, seq, data) VALUES ($1::uuid, $2, $3)`, uploadId, seq, data);
  }

  /** Accepted: in the caller's transaction, with the export file and its job. */
  async complete(tx: StorageExportTx, uploadId: string, facts: { size: number; sha256: string; md5: string }, now: Date): Promise<void> {
    await tx.stagedUpload.update({ where: { id: uploadId }, data: { state: 'complete', size: BigInt(facts.size), sha256: facts.sha256, md5: facts.md5, completedAt: now } });
  }

  /** An upload that was not accepted (too large, cut off): its chunks go with it. */
  async discard(uploadId: string): Promise<void> {
    await this.database.stagedUpload.deleteMany({ where: { id: uploadId } });
  }

  findComplete(uploadId: string): Promise<StagedUpload | null> {
    return this.database.stagedUpload.findFirst({ where: { id: uploadId, state: 'complete' } });
  }

  /** The chunks in order, one query each: never more than one chunk in memory. */
  async *readChunks(uploadId: string): AsyncGenerator<Buffer> {
    for (let seq = 0; ; seq++) {
      const rows = await this.database.sql.$queryRawUnsafe<{ data: Buffer }[]>(`SELECT data FROM ${this.chunkTable} WHERE upload_id = $1::uuid AND seq = $2`, uploadId, seq);
      if (rows.length === 0) return;
      yield rows[0]!.data;
    }
  }
}
