import { DestinationError } from '../storage-destination';

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EADDRNOTAVAIL']);
const LOST_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

interface SdkError {
  name?: string;
  code?: string;
  message: string;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

/** An AWS SDK (or socket) error as a destination error kind. */
export function s3Failure(error: unknown, what: string, bucket: string): DestinationError {
  if (error instanceof DestinationError) return error;
  const cause = (error as SdkError).cause;
  if (cause instanceof DestinationError) return cause;
  const { name = '', code, message, $metadata } = error as SdkError;
  const status = $metadata?.httpStatusCode;
  if (name === 'NoSuchBucket') {
    return new DestinationError('bucket_missing', `The bucket ${bucket} does not exist`, { cause: error });
  }
  if (name === 'InvalidAccessKeyId' || name === 'SignatureDoesNotMatch' || name === 'InvalidClientTokenId' || status === 401) {
    return new DestinationError('auth_refused', `The S3 server refused the access key (${name || status})`, { cause: error });
  }
  if (name === 'AccessDenied' || name === 'Forbidden' || status === 403) return new DestinationError('permission_denied', `${what}: access denied`, { cause: error });
  if (name === 'ESSRFREFUSED' || code === 'ESSRFREFUSED') return new DestinationError('address_refused', message, { cause: error, retryable: false });
  if (code && UNREACHABLE_CODES.has(code)) return new DestinationError('host_unreachable', `The S3 endpoint could not be reached (${code})`, { cause: error });
  if (code && LOST_CODES.has(code)) return new DestinationError('connection_lost', `${what}: the connection was lost (${code})`, { cause: error });
  if (name === 'TimeoutError' || name === 'RequestTimeout') return new DestinationError('timeout', `${what}: timed out`, { cause: error });
  return new DestinationError('unexpected', `${what}: ${name || 'error'} ${message}`.trim(), { cause: error });
}
