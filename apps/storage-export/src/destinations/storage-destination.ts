import type { Readable } from 'node:stream';

/**
 * Checksums of a file's bytes, all as lowercase hex: md5 (32 chars), sha256 (64 chars), crc32c
 * (8 chars, the big-endian CRC32C value). Buckets that speak base64 (GCS, S3) are converted at the edge.
 */
export interface FileChecksums {
  md5?: string;
  sha256?: string;
  crc32c?: string;
}

/** One file to deliver. */
export interface DestinationFile {
  /**
   * Where, relative to the configured folder path, posix separators, e.g.
   * 'ujet-voice-recordings/call-123.mp3'. No '..', no leading '/', no NUL, no empty segments
   * (checked by every destination; a bad path is a DestinationError 'invalid_path').
   */
  path: string;
  /** The bytes, streamed: never buffered whole (SE3.5). */
  content: Readable;
  contentType: string;
  /** When known in advance (lets buckets size multipart parts and check the count). */
  size?: number;
  /** When known in advance: the stored file must match them or the put fails with 'checksum_mismatch'. */
  checksums?: FileChecksums;
}

/** A file as it is on the destination. `path` is relative to the folder path, as given. */
export interface StoredFile extends FileChecksums {
  path: string;
  size: number;
}

/**
 * What a put wrote: always its SHA-256, and its MD5 where the backend needs one (buckets) or the caller gave one to
 * verify, computed while streaming (the events carry them: nobody hashes the bytes twice).
 */
export type PutFile = StoredFile & Required<Pick<FileChecksums, 'sha256'>>;

/**
 * One tenant's external storage (SE1.2). Implementations keep connections open between calls
 * (an SFTP pool, an HTTP keep-alive agent) and may be used concurrently; close() ends them.
 */
export interface StorageDestination {
  /** Which backend this is. */
  readonly backend: DestinationBackend;
  /**
   * Delivers the file once and whole (SE3.3): SFTP writes a temporary name in the same folder and
   * renames it into place atomically; buckets write with a verified checksum. Missing folders are
   * created. Resolves with what is now stored (size, SHA-256 and, where the backend needs it, MD5 computed while streaming, plus
   * whatever else the backend checks). An existing file at the path is replaced. Fails with a DestinationError.
   */
  put(file: DestinationFile, signal?: AbortSignal): Promise<PutFile>;
  /**
   * What is already at the path, or undefined (idempotent re-runs). S3 gives the MD5 when the
   * ETag is one (single-part uploads); SFTP gives the size only unless `withChecksums` asks it to read
   * the file back and hash it.
   */
  stat(path: string, options?: { withChecksums?: boolean }): Promise<StoredFile | undefined>;
  /** The file's address for people and the CRM (SE1.5, SE3.4): sftp://user@host:port/folder/path, or the object's S3 / Cloud Storage URL. */
  urlOf(path: string): string;
  /** SE1.3: writes a probe file under the folder path and removes it; fails with a DestinationError. */
  probe(): Promise<void>;
  /** Ends every open connection; later calls fail. */
  close(): Promise<void>;
}

export type DestinationBackend = 'sftp' | 's3' | 'gcs';

export type DestinationErrorKind =
  | 'auth_refused'
  | 'host_unreachable'
  | 'host_key_mismatch'
  | 'permission_denied'
  | 'bucket_missing'
  | 'folder_missing'
  | 'checksum_mismatch'
  | 'timeout'
  | 'connection_lost'
  /** The administrator's host or endpoint resolves to an address outbound connections may not reach (SSRF policy). */
  | 'address_refused'
  /** The file's path is not a safe relative path (see DestinationFile.path). */
  | 'invalid_path'
  /** The source stream failed or ended early (not the destination's fault). */
  | 'source_failed'
  /** Anything else the backend answered (message says what). */
  | 'unexpected';

/** Kinds a later attempt may cure without anyone changing the settings. */
const RETRYABLE: ReadonlySet<DestinationErrorKind> = new Set(['host_unreachable', 'checksum_mismatch', 'timeout', 'connection_lost', 'source_failed', 'unexpected']);

/** Why a destination call failed: a stable kind, whether retrying may help, and a message without secrets. */
export class DestinationError extends Error {
  readonly retryable: boolean;

  constructor(
    readonly kind: DestinationErrorKind,
    message: string,
    options?: { cause?: unknown; retryable?: boolean },
  ) {
    super(message, options);
    this.name = 'DestinationError';
    this.retryable = options?.retryable ?? RETRYABLE.has(kind);
  }
}
