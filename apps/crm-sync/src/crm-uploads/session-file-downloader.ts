import { Injectable } from '@nestjs/common';
import { Clock } from '@switchboard/clock';
import { JobFailedPermanently } from '@switchboard/jobs';
import { findOutboundError, OutboundHttpClient } from '@switchboard/outbound-http';
import { createHash } from 'node:crypto';
import { CrmSyncConfig } from '../config';
import type { CrmFileUpload } from './crm-file-upload.repository';

/** A download that may work when tried again (the link's server away, a partial or corrupted answer). */
export class DownloadNotYet extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadNotYet';
  }
}

/**
 * Reads a handed-over file's bytes from its FileForCrm link (SE1.4: a plain GET, the URL is the capability)
 * through the SSRF-guarded client, and checks them against the size and SHA-256 storage-export announced.
 * An expired link, a file over the cap or a link the server no longer knows fail for good; the rest is retried.
 */
@Injectable()
export class SessionFileDownloader {
  constructor(
    private readonly http: OutboundHttpClient,
    private readonly config: CrmSyncConfig,
    private readonly clock: Clock,
  ) {}

  async bytesOf(upload: CrmFileUpload): Promise<Buffer> {
    if (!upload.downloadUrl) throw new JobFailedPermanently(`${upload.fileName}: no download link is kept for it`);
    if (upload.downloadUntil && upload.downloadUntil.getTime() <= this.clock.now().getTime()) {
      throw new JobFailedPermanently(`${upload.fileName}: its download link expired at ${upload.downloadUntil.toISOString()}; a new FileForCrm (storage-export's retry) brings a fresh one`);
    }
    const limit = this.config.CRM_UPLOAD_MAX_BYTES;
    if (upload.size > limit) throw new JobFailedPermanently(`${upload.fileName}: ${upload.size} bytes is over the upload limit of ${limit} (CRM_UPLOAD_MAX_BYTES)`);
    let response;
    try {
      response = await this.http.request({ url: upload.downloadUrl, method: 'GET', maxResponseBytes: Math.max(upload.size, 1), timeoutMs: this.config.CRM_UPLOAD_DOWNLOAD_TIMEOUT_MS });
    } catch (error) {
      const outbound = findOutboundError(error);
      if (!outbound) throw error;
      if (outbound.kind === 'url-refused' || outbound.kind === 'address-refused' || outbound.kind === 'redirect-refused') throw new JobFailedPermanently(`${upload.fileName}: download refused: ${outbound.message}`);
      throw new DownloadNotYet(`${upload.fileName}: download ${outbound.kind}: ${outbound.message}`);
    }
    if ([401, 403, 404, 410].includes(response.status)) throw new JobFailedPermanently(`${upload.fileName}: the download link answered ${response.status}`);
    if (response.status < 200 || response.status >= 300) throw new DownloadNotYet(`${upload.fileName}: the download link answered ${response.status}`);
    const sha256 = createHash('sha256').update(response.body).digest('hex');
    if (response.body.length !== upload.size || sha256 !== upload.sha256) {
      throw new DownloadNotYet(`${upload.fileName}: got ${response.body.length} bytes with SHA-256 ${sha256}, expected ${upload.size} bytes with ${upload.sha256}`);
    }
    return response.body;
  }
}
