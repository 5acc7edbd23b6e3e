import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { OutboundHttpClient } from '@switchboard/outbound-http';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { StorageExportConfig } from '../config';
import type { ExportFile } from '../generated/prisma/client';
import { SourceError } from './export-errors';
import { StagedUploadsRepository } from './staged-uploads.repository';

/** A file's bytes, streamed, with what is known of them before reading. */
export interface OpenedSource {
  content: Readable;
  /** Bytes, when the source says (Content-Length, a staged upload, a document). */
  size?: number;
  /** Known before reading for staged uploads and documents: the destination verifies it, a re-run compares it. */
  sha256?: string;
  /** Known with sha256: buckets (S3, GCS) tell an object's MD5 without reading it back, so a re-run compares that. */
  md5?: string;
}

/** How long a file URL may take to connect and answer, and then stay silent between chunks. */
const SOURCE_TIMEOUT_MS = 30_000;

/** Opens the bytes of an export file: its URL (through the SSRF guard), its staged upload, or its metadata document. */
@Injectable()
export class ExportSources implements OnModuleDestroy {
  private readonly http: OutboundHttpClient;

  constructor(
    config: StorageExportConfig,
    private readonly uploads: StagedUploadsRepository,
  ) {
    this.http = new OutboundHttpClient({ allow: config.OUTBOUND_HTTP_ALLOW, timeoutMs: SOURCE_TIMEOUT_MS });
  }

  /** Why a file URL may not be fetched (SSRF policy), or undefined. */
  refusalOfUrl(url: string): Promise<string | undefined> {
    return this.http.refusalOfUrl(url);
  }

  async open(file: ExportFile, signal?: AbortSignal): Promise<OpenedSource> {
    if (file.sourceKind === 'metadata') return documentSource(file.document);
    if (file.sourceKind === 'upload' && file.uploadId) return this.uploadSource(file.uploadId);
    if (file.sourceKind === 'url' && file.sourceUrl) return this.urlSource(file.sourceUrl, signal);
    throw new SourceError('source_failed', `export file ${file.id} has no usable source (${file.sourceKind})`, false);
  }

  private async urlSource(url: string, signal?: AbortSignal): Promise<OpenedSource> {
    const response = await this.http.stream({ url, signal });
    if (response.status !== 200) {
      response.body.on('error', () => undefined).destroy();
      throw sourceStatusError(response.status, response.headers['retry-after']);
    }
    const length = Number(response.headers['content-length']);
    return { content: response.body, size: Number.isSafeInteger(length) ? length : undefined };
  }

  private async uploadSource(uploadId: string): Promise<OpenedSource> {
    const upload = await this.uploads.findComplete(uploadId);
    if (!upload) throw new SourceError('source_missing', `the staged upload ${uploadId} is gone`, false);
    return { content: Readable.from(this.uploads.readChunks(uploadId)), size: Number(upload.size), sha256: upload.sha256 ?? undefined, md5: upload.md5 ?? undefined };
  }

  onModuleDestroy(): Promise<void> {
    return this.http.close();
  }
}

/** The metadata file's bytes: the document as stored (SE3.2), pretty-printed JSON. */
export function metadataFileBytes(document: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(document, null, 2)}\n`, 'utf8');
}

function documentSource(document: unknown): OpenedSource {
  if (document === null || document === undefined) throw new SourceError('source_failed', 'the metadata document is missing', false);
  const bytes = metadataFileBytes(document);
  return { content: Readable.from([bytes]), size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), md5: createHash('md5').update(bytes).digest('hex') };
}

function sourceStatusError(status: number, retryAfter: string | string[] | undefined): SourceError {
  if (status === 404 || status === 410) return new SourceError('source_missing', `the file's URL answered ${status}`, false);
  if (status === 408 || status === 429 || status >= 500) {
    const seconds = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
    return new SourceError('source_unavailable', `the file's URL answered ${status}`, true, Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined);
  }
  return new SourceError('source_refused', `the file's URL answered ${status}`, false);
}
