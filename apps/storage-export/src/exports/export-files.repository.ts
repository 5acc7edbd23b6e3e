import { Injectable } from '@nestjs/common';
import type { ExportFileKind, SessionMetadata } from '@switchboard/contracts';
import { randomUUID } from 'node:crypto';
import type { SqlExecutor } from '@switchboard/persistence';
import { PrismaService, type StorageExportTx } from '../database/prisma.service';
import type { ExportFile } from '../generated/prisma/client';
import type { ExportFileName } from './export-layout';

export type ExportFileStatus = 'pending' | 'exported' | 'failed' | 'skipped';

export type ExportFileSource = { kind: 'url'; url: string } | { kind: 'upload'; uploadId: string } | { kind: 'metadata'; document: SessionMetadata };

export interface NewExportFile extends ExportFileName {
  tenantId: string;
  sessionId: string;
  contentType: string;
  source: ExportFileSource;
}

export interface DeliveredFile {
  size: number;
  sha256: string;
  md5?: string;
  storageUrl: string;
  attempts: number;
}

export interface FailedTry {
  attempts: number;
  errorKind: string;
  message: string;
  /** failed: no more tries; pending: another try follows. */
  status: 'failed' | 'pending';
}

/** export_file's columns under the model's field names (size is bigint: pg gives a string). */
const FIND_EXPORT_FILE = `SELECT id, tenant_id AS "tenantId", session_id AS "sessionId", kind, file_name AS "fileName", path, content_type AS "contentType",
  source_kind AS "sourceKind", source_url AS "sourceUrl", upload_id AS "uploadId", document, document_version AS "documentVersion", status, generation,
  job_key AS "jobKey", size, sha256, md5, storage_url AS "storageUrl", attempts, error_kind AS "errorKind", last_error AS "lastError",
  exported_at AS "exportedAt", created_at AS "createdAt", updated_at AS "updatedAt"
  FROM export_file WHERE id = $1::uuid`;

type ExportFileRow = Omit<ExportFile, 'size'> & { size: string | null };

/** Where the bytes come from, in the columns of the source's kind (the others cleared). */
function sourceColumns(source: ExportFileSource) {
  return {
    sourceKind: source.kind,
    sourceUrl: source.kind === 'url' ? source.url : null,
    uploadId: source.kind === 'upload' ? source.uploadId : null,
    document: source.kind === 'metadata' ? (source.document as object) : undefined,
    documentVersion: source.kind === 'metadata' ? source.document.version : null,
  };
}

/** A new file's row: pending at generation 1, its source in the columns of its kind. */
function newRow(file: NewExportFile, now: Date) {
  return {
    id: randomUUID(),
    tenantId: file.tenantId,
    sessionId: file.sessionId,
    kind: file.kind satisfies ExportFileKind,
    fileName: file.fileName,
    path: file.path,
    contentType: file.contentType,
    ...sourceColumns(file.source),
    status: 'pending',
    generation: 1,
    jobKey: exportJobKey(file, 1),
    createdAt: now,
    updatedAt: now,
  };
}

/** The durable job's key: one per (file, generation), so a file due again gets a job of its own. */
export function exportJobKey(file: { tenantId: string; sessionId: string; fileName: string }, generation: number): string {
  return `${file.tenantId}/${file.sessionId}/${file.fileName}#${generation}`;
}

/** export_file rows: what each session file is, where it comes from, and how its delivery went. */
@Injectable()
export class ExportFilesRepository {
  constructor(private readonly database: PrismaService) {}

  findByPath(tx: StorageExportTx, tenantId: string, path: string): Promise<ExportFile | null> {
    return tx.exportFile.findUnique({ where: { tenantId_path: { tenantId, path } } });
  }

  /** Plain SQL (each export job's first statement): Prisma's query layer cost more CPU than the rest of the read (npm run bench:export). */
  async find(id: string): Promise<ExportFile | null> {
    const [row] = await this.database.sql.queryPrepared<ExportFileRow>('storage_export.find_export_file', FIND_EXPORT_FILE, [id]);
    return row ? { ...row, size: row.size === null ? null : BigInt(row.size) } : null;
  }

  listForSession(tenantId: string, sessionId: string): Promise<ExportFile[]> {
    return this.database.exportFile.findMany({ where: { tenantId, sessionId }, orderBy: [{ kind: 'asc' }, { fileName: 'asc' }] });
  }

  /** A new pending file at generation 1 (the caller checked that the path is free for the tenant). */
  async create(tx: StorageExportTx, file: NewExportFile, now: Date): Promise<ExportFile> {
    return tx.exportFile.create({ data: newRow(file, now) });
  }

  /**
   * New pending files at generation 1, in one insert (paths checked free by the caller); returns their ids and job keys,
   * in order. Plain SQL over arrays: Prisma's createMany compiled a query per batch size in its WebAssembly compiler.
   */
  async createMany(tx: StorageExportTx, files: NewExportFile[], now: Date): Promise<Array<Pick<ExportFile, 'id' | 'tenantId' | 'jobKey'>>> {
    const rows = files.map((file) => newRow(file, now));
    const column = <K extends keyof (typeof rows)[number]>(key: K) => rows.map((row) => row[key]);
    await tx.$executeRawUnsafe(
      `INSERT INTO export_file (id, tenant_id, session_id, kind, file_name, path, content_type, source_kind, source_url, upload_id, document, document_version, status, generation, job_key, created_at, updated_at)
       SELECT f.id, f.tenant_id, f.session_id, f.kind, f.file_name, f.path, f.content_type, f.source_kind, f.source_url, f.upload_id, f.document, f.document_version, 'pending', 1, f.job_key, $14, $14
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::uuid[], $11::jsonb[], $12::int[], $13::text[])
         AS f(id, tenant_id, session_id, kind, file_name, path, content_type, source_kind, source_url, upload_id, document, document_version, job_key)`,
      column('id'),
      column('tenantId'),
      column('sessionId'),
      column('kind'),
      column('fileName'),
      column('path'),
      column('contentType'),
      column('sourceKind'),
      column('sourceUrl'),
      column('uploadId'),
      rows.map((row) => (row.document === undefined ? null : JSON.stringify(row.document))),
      column('documentVersion'),
      column('jobKey'),
      now,
    );
    return rows.map(({ id, tenantId, jobKey }) => ({ id, tenantId, jobKey }));
  }

  /** Which of these (tenant, path) pairs already have a file, as `tenantId/path` keys: one statement for a batch of sessions. */
  async knownPaths(tx: StorageExportTx, files: Array<{ tenantId: string; path: string }>): Promise<Set<string>> {
    const rows = await tx.$queryRawUnsafe<Array<{ tenant_id: string; path: string }>>(
      'SELECT f.tenant_id::text AS tenant_id, f.path FROM export_file f JOIN unnest($1::uuid[], $2::text[]) AS p(tenant_id, path) ON f.tenant_id = p.tenant_id AND f.path = p.path',
      files.map((file) => file.tenantId),
      files.map((file) => file.path),
    );
    return new Set(rows.map((row) => `${row.tenant_id}/${row.path}`));
  }

  /**
   * The file is to be delivered again from a new source (a newer metadata document, a new upload): it
   * gets the next generation, hence a new job key, even while pending — a job of the old generation
   * that is running now records nothing (markExported and recordFailedTry check the generation), so
   * the new source is never lost to it. Returns the job key to schedule.
   */
  async replaceSource(tx: StorageExportTx, existing: ExportFile, source: ExportFileSource, now: Date): Promise<string> {
    const generation = existing.generation + 1;
    const jobKey = exportJobKey(existing, generation);
    await tx.exportFile.update({
      where: { id: existing.id },
      data: {
        ...sourceColumns(source),
        status: 'pending',
        generation,
        jobKey,
        attempts: 0,
        errorKind: null,
        lastError: null,
        updatedAt: now,
      },
    });
    return jobKey;
  }

  /** Only while the row is still at the job's generation: a superseded job records nothing. Plain SQL on the transaction's connection (once per file). */
  async markExported(tx: SqlExecutor, file: ExportFile, delivered: DeliveredFile, now: Date): Promise<boolean> {
    const count = await tx.$executeRawUnsafe(
      `UPDATE export_file SET status = 'exported', size = $3, sha256 = $4, md5 = $5, storage_url = $6, attempts = $7, error_kind = NULL, last_error = NULL, exported_at = $8, updated_at = $8
       WHERE id = $1::uuid AND generation = $2 AND status <> 'exported'`,
      file.id,
      file.generation,
      String(delivered.size),
      delivered.sha256,
      delivered.md5 ?? null,
      delivered.storageUrl,
      delivered.attempts,
      now,
    );
    return count === 1;
  }

  async recordFailedTry(tx: StorageExportTx, file: ExportFile, failed: FailedTry, storageUrl: string | undefined, now: Date): Promise<boolean> {
    const { count } = await tx.exportFile.updateMany({
      where: { id: file.id, generation: file.generation, status: 'pending' },
      data: { status: failed.status, attempts: failed.attempts, errorKind: failed.errorKind, lastError: failed.message, storageUrl: storageUrl ?? null, updatedAt: now },
    });
    return count === 1;
  }

  async markSkipped(file: ExportFile, reason: string, now: Date): Promise<void> {
    await this.database.exportFile.updateMany({
      where: { id: file.id, generation: file.generation, status: 'pending' },
      data: { status: 'skipped', lastError: reason, updatedAt: now },
    });
  }

  /** Failed files of a session back to pending (the retry command); returns them. */
  async reopenFailed(tx: StorageExportTx, tenantId: string, sessionId: string, now: Date): Promise<ExportFile[]> {
    const failed = await tx.exportFile.findMany({ where: { tenantId, sessionId, status: 'failed' } });
    if (failed.length > 0) {
      await tx.exportFile.updateMany({ where: { id: { in: failed.map((file) => file.id) } }, data: { status: 'pending', updatedAt: now } });
    }
    return failed;
  }
}
