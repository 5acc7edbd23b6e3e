import { type File, IdempotencyStrategy, Storage } from '@google-cloud/storage';
import { createPrivateKey } from 'node:crypto';
import { ChecksumStream } from '../checksum-stream';
import type { GcsDestinationSettings } from '../destination-settings';
import { objectName, probeFileName } from '../destination-path';
import { DestinationError, type DestinationFile, type PutFile, type StorageDestination, type StoredFile } from '../storage-destination';
import { streamWithDeadline } from '../stream-deadline';
import { gcsFailure, hexOfBase64 } from './gcs-errors';
import { GOOGLE_TOKEN_URL, gcsObjectUrl } from './gcs-url';

const STORAGE_SCOPE = 'https://www.googleapis.com/auth/devstorage.read_write';
/** The token URL gtoken 7 (inside google-auth-library 9) posts service-account assertions to, fixed in its code. */
const GTOKEN_FIXED_URL = 'https://www.googleapis.com/oauth2/v4/token';

export interface GcsDestinationOptions {
  /** The JSON API's root (GCS_API_ENDPOINT). */
  apiEndpoint: string;
  /** The OAuth 2.0 token endpoint service-account assertions are exchanged at (GCS_TOKEN_URL). */
  tokenUrl: string;
  /** The longest silence tolerated mid-transfer, and each request's timeout. */
  timeoutMs: number;
}

/** Files up to this size go in one multipart request; larger or unsized ones in a resumable session. */
const SINGLE_REQUEST_LIMIT = 8 * 1024 * 1024;
/**
 * Resumable chunk size (a multiple of 256 KiB, as the API requires). The client keeps one chunk in memory
 * so that a chunk the server did not persist (308 with a shorter Range, a dropped connection) is resent (SE3.5: bounded).
 */
const CHUNK_SIZE = 8 * 1024 * 1024;

interface TransporterHolder {
  transporter: { request(options: { url?: string }): Promise<unknown> };
}

/**
 * Google Cloud Storage (SE1.2) through the official @google-cloud/storage client, authenticated with the
 * service account's key (JWT bearer assertion exchanged for an access token). Every write is verified
 * (SE3.3): the client checks the CRC32C it computed against the object's, deleting the object on a
 * mismatch, and the MD5 computed here while streaming must equal the object's md5Hash.
 */
export class GcsDestination implements StorageDestination {
  readonly backend = 'gcs';
  private readonly storage: Storage;
  private authReady: Promise<void> | undefined;

  constructor(
    private readonly settings: GcsDestinationSettings,
    private readonly options: GcsDestinationOptions,
  ) {
    this.storage = new Storage({
      apiEndpoint: options.apiEndpoint,
      // The client skips authentication for any endpoint but Google's unless told otherwise.
      useAuthWithCustomEndpoint: true,
      projectId: settings.projectId,
      credentials: { client_email: settings.clientEmail, private_key: settings.privateKey },
      // Named scopes make every call use an access token from the token exchange (without them the auth
      // library signs its own JWTs for some calls, which only Google's own endpoints accept).
      scopes: [STORAGE_SCOPE],
      timeout: options.timeoutMs,
      // Writes here replace the whole object with the same bytes: retrying them is always safe.
      retryOptions: { autoRetry: true, maxRetries: 3, retryDelayMultiplier: 2, maxRetryDelay: 4, totalTimeout: Math.max(60, options.timeoutMs / 1000), idempotencyStrategy: IdempotencyStrategy.RetryAlways },
    });
  }

  async put(file: DestinationFile, signal?: AbortSignal): Promise<PutFile> {
    const name = objectName(this.settings.folderPath, file.path);
    await this.ready();
    const object = this.storage.bucket(this.settings.bucket).file(name);
    const resumable = file.size === undefined || file.size > SINGLE_REQUEST_LIMIT;
    const checksums = new ChecksumStream(['sha256', 'md5'], { path: file.path, size: file.size, checksums: file.checksums });
    // The session is opened first: @google-cloud/storage 7 sends a session's own requests without credentials to any
    // endpoint but Google's (it drops useAuthWithCustomEndpoint there); a session URI needs none, its opening does.
    const uri = resumable ? await this.openSession(object, file.contentType) : undefined;
    const writer = object.createWriteStream({
      resumable,
      ...(uri ? { uri, chunkSize: CHUNK_SIZE } : {}),
      validation: 'crc32c',
      metadata: { contentType: file.contentType },
      timeout: this.options.timeoutMs,
    });
    await streamWithDeadline(file.content, [checksums, writer], this.options.timeoutMs, signal, (error) => gcsFailure(error, `upload ${name}`, this.settings.bucket));
    const written = checksums.written();
    const stored = object.metadata;
    if (hexOfBase64(stored.md5Hash) !== written.md5) {
      await object.delete({ ignoreNotFound: true }).catch(() => undefined);
      throw new DestinationError('checksum_mismatch', `${name}: the object's md5Hash ${stored.md5Hash ?? '(none)'} is not the MD5 of the bytes sent; the object was removed`);
    }
    const crc32c = hexOfBase64(stored.crc32c);
    return { path: file.path, ...written, ...(crc32c ? { crc32c } : {}) };
  }

  private async openSession(object: File, contentType: string): Promise<string> {
    const [uri] = await object.createResumableUpload({ metadata: { contentType } }).catch((error) => {
      throw gcsFailure(error, `open an upload session for ${object.name}`, this.settings.bucket);
    });
    return uri;
  }

  /** The object's size and its md5Hash and crc32c (Cloud Storage always has them, so `withChecksums` costs nothing more). */
  async stat(path: string): Promise<StoredFile | undefined> {
    const name = objectName(this.settings.folderPath, path);
    await this.ready();
    try {
      const [metadata] = await this.storage.bucket(this.settings.bucket).file(name).getMetadata();
      const md5 = hexOfBase64(metadata.md5Hash);
      const crc32c = hexOfBase64(metadata.crc32c);
      return { path, size: Number(metadata.size ?? 0), ...(md5 ? { md5 } : {}), ...(crc32c ? { crc32c } : {}) };
    } catch (error) {
      if ((error as { code?: unknown }).code === 404 && !/bucket/i.test((error as Error).message)) return undefined;
      throw gcsFailure(error, `stat ${name}`, this.settings.bucket);
    }
  }

  urlOf(path: string): string {
    return gcsObjectUrl(this.settings, this.options.apiEndpoint, path);
  }

  async probe(): Promise<void> {
    await this.ready();
    const name = objectName(this.settings.folderPath, probeFileName());
    const object = this.storage.bucket(this.settings.bucket).file(name);
    await object.save('Switchboard storage-export connection check\n', { resumable: false, contentType: 'text/plain', validation: 'crc32c' }).catch((error) => {
      throw gcsFailure(error, `write a probe object ${name}`, this.settings.bucket);
    });
    await object.delete().catch((error) => {
      throw gcsFailure(error, `remove the probe object ${name}`, this.settings.bucket);
    });
  }

  async close(): Promise<void> {
    // The client keeps no connection of its own open: its HTTP agents are shared, idle sockets time out.
  }

  /**
   * Checks the key once and sends the token exchange to the configured token URL: gtoken has Google's URL
   * built in, so the JWT client's transporter (a documented option of google-auth-library) redirects that one URL.
   */
  private ready(): Promise<void> {
    this.authReady ??= (async () => {
      try {
        createPrivateKey(this.settings.privateKey);
      } catch (error) {
        throw new DestinationError('auth_refused', "The service account's private_key is not a readable PEM private key", { cause: error, retryable: false });
      }
      const client = (await this.storage.authClient.getClient()) as unknown as TransporterHolder;
      const original = client.transporter;
      const tokenUrl = this.options.tokenUrl;
      if (tokenUrl === GTOKEN_FIXED_URL || tokenUrl === GOOGLE_TOKEN_URL) return;
      client.transporter = Object.assign(Object.create(original) as object, {
        request: (options: { url?: string }) => original.request(options.url === GTOKEN_FIXED_URL ? { ...options, url: tokenUrl } : options),
      }) as TransporterHolder['transporter'];
    })();
    const ready = this.authReady;
    ready.catch(() => (this.authReady = undefined));
    return ready;
  }
}
