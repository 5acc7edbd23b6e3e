import { DestinationError } from '../storage-destination';

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EADDRNOTAVAIL']);
const LOST_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

interface ClientError {
  code?: string | number;
  message?: string;
  /** gaxios (token exchange, resumable uploads): the HTTP answer. */
  response?: { status?: number; data?: { error?: unknown; error_description?: string } };
  errors?: Array<{ reason?: string; message?: string }>;
  cause?: unknown;
}

/**
 * An @google-cloud/storage (or google-auth-library token) error as a destination error kind: a refused
 * service-account assertion or an API 401 is auth_refused, 403 permission_denied, a missing bucket
 * bucket_missing, the client's own CRC32C/MD5 mismatch (FILE_NO_UPLOAD) or the server's refusal of the
 * sent X-Goog-Hash checksum_mismatch, socket failures host_unreachable / connection_lost.
 */
export function gcsFailure(error: unknown, what: string, bucket: string): DestinationError {
  if (error instanceof DestinationError) return error;
  const failure = error as ClientError;
  if (failure.cause instanceof DestinationError) return failure.cause;
  const message = failure.message ?? String(error);
  const status = typeof failure.code === 'number' ? failure.code : failure.response?.status;
  const code = typeof failure.code === 'string' ? failure.code : undefined;
  const tokenError = failure.response?.data?.error;
  if (tokenError === 'invalid_grant' || tokenError === 'invalid_client' || tokenError === 'unauthorized_client' || tokenError === 'invalid_scope') {
    return new DestinationError('auth_refused', `Google refused the service account's credentials (${tokenError}: ${failure.response?.data?.error_description ?? ''})`.trim(), { cause: error, retryable: false });
  }
  if (code === 'FILE_NO_UPLOAD' || code === 'FILE_NO_UPLOAD_DELETE' || /doesn't match calculated/i.test(message)) {
    return new DestinationError('checksum_mismatch', `${what}: the stored object's checksum is not that of the bytes sent (${message})`, { cause: error });
  }
  if (status === 401) return new DestinationError('auth_refused', `Cloud Storage refused the credentials (${message})`, { cause: error, retryable: false });
  if (status === 403) return new DestinationError('permission_denied', `${what}: ${message}`, { cause: error, retryable: false });
  if (status === 404 && /bucket/i.test(message)) return new DestinationError('bucket_missing', `The bucket ${bucket} does not exist`, { cause: error, retryable: false });
  const socketCode = code ?? socketCodeOf(failure.cause);
  if (socketCode && UNREACHABLE_CODES.has(socketCode)) return new DestinationError('host_unreachable', `Cloud Storage could not be reached (${socketCode})`, { cause: error });
  if ((socketCode && LOST_CODES.has(socketCode)) || /socket hang up|premature close/i.test(message)) return new DestinationError('connection_lost', `${what}: the connection was lost (${socketCode ?? message})`, { cause: error });
  return new DestinationError('unexpected', `${what}: ${status ? `${status} ` : ''}${message}`, { cause: error });
}

function socketCodeOf(cause: unknown): string | undefined {
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** An object resource's base64 md5Hash / crc32c as the lowercase hex FileChecksums use. */
export function hexOfBase64(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? Buffer.from(value, 'base64').toString('hex') : undefined;
}
