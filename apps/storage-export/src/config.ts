import { AllowListError, parseAllowList } from '@switchboard/outbound-http';
import { baseServiceEnv, envEncryptionKey, envInt, envList, envUrl, serviceConfigClass } from '@switchboard/service-kit';
import { z } from 'zod';

/** The allow-list parsed once here so that a bad entry stops start-up with its name, not the first export. */
const allowList = envList().transform((entries, ctx) => {
  try {
    parseAllowList(entries);
    return entries;
  } catch (error) {
    if (!(error instanceof AllowListError)) throw error;
    ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of CIDR ranges, addresses or host names (${error.message})` });
    return z.NEVER;
  }
});

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '');

export const storageExportEnv = baseServiceEnv.extend({
  SECRETS_ENCRYPTION_KEY: envEncryptionKey(),
  // Addresses (CIDRs) and exact host names that administrator-configured SFTP hosts, S3 endpoints and file
  // URLs may reach although they are loopback, private or link-local (P2.5): a storage server inside the
  // company network, or local simulators.
  OUTBOUND_HTTP_ALLOW: allowList.default([]),
  // SFTP sessions kept open per destination (each upload takes one; more run in parallel).
  SFTP_SESSIONS_PER_DESTINATION: envInt({ min: 1, max: 32 }).default(4),
  // Time to connect and authenticate, and the longest silence tolerated mid-transfer, per destination call.
  DESTINATION_TIMEOUT_MS: envInt({ min: 1_000, max: 600_000 }).default(30_000),
  // An upload (PUT /sessions/…/files/…) may take longer than HTTP_REQUEST_TIMEOUT_MS while its bytes keep
  // coming; it is cut (408) once none came for this long.
  UPLOAD_IDLE_TIMEOUT_MS: envInt({ min: 100, max: 600_000 }).default(30_000),
  // How long after a session ends its metadata file is written (SE3.1: about 15 minutes, so that a late CSAT or
  // transfer is in it). Recordings, transcripts and media go at once.
  METADATA_EXPORT_DELAY_SEC: envInt({ min: 0, max: 7 * 24 * 3600 }).default(15 * 60),
  // Google Cloud Storage's JSON API root and OAuth 2.0 token endpoint: Google's, or a simulator / private
  // endpoint set by the deployment (never by a tenant, so service-account assertions only go where the operator says).
  GCS_API_ENDPOINT: envUrl().transform(withoutTrailingSlash).default('https://storage.googleapis.com'),
  GCS_TOKEN_URL: envUrl().transform(withoutTrailingSlash).default('https://oauth2.googleapis.com/token'),
});

/** The service's validated environment, injected by class. */
export class StorageExportConfig extends serviceConfigClass(storageExportEnv) {}
