import { Injectable } from '@nestjs/common';
import type { FileForCrm } from '@switchboard/contracts';
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { StorageExportConfig } from '../config';
import type { ExportFile } from '../generated/prisma/client';

/** How long a download link handed to crm-sync works (SE1.4): a day of CRM retries. */
export const DOWNLOAD_LINK_TTL_MS = 24 * 60 * 60_000;

export interface DownloadLinkParts {
  fileId: string;
  generation: number;
  expires: number;
}

/**
 * SE1.4 "also send to the CRM": where crm-sync reads a file's bytes. A file fetched from a URL is read
 * there again (the platform's own link); an uploaded file or a metadata document through a signed,
 * expiring link on storage-export (`GET /exports/files/{id}/content`), valid for that generation of
 * the file only. The signing key is derived from SECRETS_ENCRYPTION_KEY, so every replica checks it.
 */
@Injectable()
export class CrmHandover {
  private readonly key: Buffer;

  constructor(private readonly config: StorageExportConfig) {
    this.key = Buffer.from(hkdfSync('sha256', Buffer.from(config.SECRETS_ENCRYPTION_KEY, 'base64'), Buffer.alloc(0), 'storage-export download links', 32));
  }

  /** The download of FileForCrm, or undefined when no link can be made (no PUBLIC_BASE_URL for a signed one). */
  downloadOf(file: ExportFile, now: Date): FileForCrm['download'] | undefined {
    if (file.sourceKind === 'url' && file.sourceUrl) return { url: file.sourceUrl, expiresAt: null };
    const base = this.config.PUBLIC_BASE_URL;
    if (!base) return undefined;
    const expires = Math.floor((now.getTime() + DOWNLOAD_LINK_TTL_MS) / 1000);
    const parts = { fileId: file.id, generation: file.generation, expires };
    const url = new URL(`exports/files/${file.id}/content`, base.endsWith('/') ? base : `${base}/`);
    url.searchParams.set('generation', String(file.generation));
    url.searchParams.set('expires', String(expires));
    url.searchParams.set('signature', this.sign(parts));
    return { url: url.toString(), expiresAt: new Date(expires * 1000).toISOString() };
  }

  /** valid, expired, or invalid (wrong or malformed signature). */
  check(parts: DownloadLinkParts, signature: string, now: Date): 'valid' | 'expired' | 'invalid' {
    const expected = Buffer.from(this.sign(parts), 'hex');
    const given = /^[0-9a-f]{64}$/.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    return parts.expires * 1000 < now.getTime() ? 'expired' : 'valid';
  }

  private sign({ fileId, generation, expires }: DownloadLinkParts): string {
    return createHmac('sha256', this.key).update(`${fileId}.${generation}.${expires}`).digest('hex');
  }
}
