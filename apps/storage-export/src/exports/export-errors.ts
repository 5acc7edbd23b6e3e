import { OutboundHttpError } from '@switchboard/outbound-http';
import { DestinationError } from '../destinations';

/** Why a try failed, in the words the API and the FileExportFailed event use. */
export interface ExportFailure {
  kind: string;
  message: string;
  retryable: boolean;
  /** A wait the source asked for (Retry-After). */
  retryAfterMs?: number;
}

/** The file's source answered something other than the bytes (HTTP status), or its staged copy is gone. */
export class SourceError extends Error {
  constructor(
    readonly kind: 'source_missing' | 'source_unavailable' | 'source_refused' | 'source_failed',
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'SourceError';
  }
}

/** Maps what a delivery threw to a failure: destination kinds as se-dest defines them, source kinds here. */
export function exportFailureOf(error: unknown): ExportFailure {
  if (error instanceof DestinationError) return { kind: error.kind, message: error.message, retryable: error.retryable };
  if (error instanceof SourceError) return { kind: error.kind, message: error.message, retryable: error.retryable, retryAfterMs: error.retryAfterMs };
  if (error instanceof OutboundHttpError) {
    // The URL itself is refused (SSRF policy, scheme, redirect): no later try can change that.
    const refused = error.kind === 'address-refused' || error.kind === 'url-refused' || error.kind === 'redirect-refused';
    return refused
      ? { kind: 'source_refused', message: `the file's URL is refused: ${error.message}`, retryable: false }
      : { kind: 'source_unavailable', message: `the file's URL could not be read: ${error.message}`, retryable: true };
  }
  return { kind: 'unexpected', message: error instanceof Error ? error.message : String(error), retryable: true };
}
