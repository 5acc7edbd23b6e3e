import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HostResolver, OutboundAddressPolicy } from '@switchboard/outbound-http';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { PassThrough } from 'node:stream';
import { allowedAddressOf } from '../address-guard';
import { algorithmsFor, checkAgainstExpected, ChecksumStream } from '../checksum-stream';
import type { S3DestinationSettings } from '../destination-settings';
import { objectName, probeFileName } from '../destination-path';
import { guardedLookup } from '../guarded-lookup';
import { DestinationError, type DestinationFile, type PutFile, type StorageDestination, type StoredFile } from '../storage-destination';
import { streamWithDeadline } from '../stream-deadline';
import { s3Failure } from './s3-errors';
import { S3EtagStream } from './s3-etag';
import { s3ObjectUrl } from './s3-url';

export interface S3DestinationOptions {
  policy: OutboundAddressPolicy;
  resolver?: HostResolver;
  /** Connect time and the longest silence tolerated mid-transfer. */
  timeoutMs: number;
}

/** Multipart part size; lib-storage holds at most QUEUE_SIZE parts in memory per upload (SE3.5). */
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 4;

/**
 * Any S3-compatible bucket (beyond the source) through @aws-sdk/client-s3 and lib-storage's streamed
 * Upload. Every write is verified: the ETag the server answers must equal the one computed from the
 * bytes while they streamed (MD5, or MD5 of part MD5s for multipart; the whole MD5 is accepted too), else 'checksum_mismatch'.
 * The endpoint's address goes through the SSRF policy on every connection.
 */
export class S3Destination implements StorageDestination {
  readonly backend = 's3';
  private readonly client: S3Client;
  private readonly agents: { http: HttpAgent; https: HttpsAgent };
  private endpointChecked: Promise<void> | undefined;

  constructor(
    private readonly settings: S3DestinationSettings,
    private readonly options: S3DestinationOptions,
  ) {
    const lookup = guardedLookup(options.policy, options.resolver);
    this.agents = { http: new HttpAgent({ keepAlive: true, lookup }), https: new HttpsAgent({ keepAlive: true, lookup }) };
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
      // The ETag check covers integrity; the newer checksum headers are refused by some S3-compatible servers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 2,
      requestHandler: new NodeHttpHandler({ httpAgent: this.agents.http, httpsAgent: this.agents.https, connectionTimeout: options.timeoutMs, requestTimeout: options.timeoutMs }),
    });
  }

  async put(file: DestinationFile, signal?: AbortSignal): Promise<PutFile> {
    const key = objectName(this.settings.folderPath, file.path);
    await this.checkEndpoint();
    const checksums = new ChecksumStream(algorithmsFor(file.checksums), { path: file.path, size: file.size, checksums: file.checksums });
    const etag = new S3EtagStream(PART_SIZE);
    const body = new PassThrough();
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.settings.bucket, Key: key, Body: body, ContentType: file.contentType },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    const uploaded = upload.done();
    // A refused upload stops reading the body: end the stream too, with the server's reason.
    uploaded.catch((error: Error) => body.destroy(error));
    try {
      await streamWithDeadline(file.content, [checksums, etag, body], this.options.timeoutMs, signal, (error) => s3Failure(error, `upload ${key}`, this.settings.bucket));
    } catch (error) {
      await upload.abort().catch(() => undefined);
      throw error;
    }
    const answer = await uploaded.catch((error) => {
      throw s3Failure(error, `upload ${key}`, this.settings.bucket);
    });
    const { sha256 } = checksums.result();
    const written = { size: checksums.size, sha256: sha256!, md5: etag.md5 };
    const answeredEtag = (answer as { ETag?: string }).ETag?.replace(/"/g, '');
    // Some S3-compatible servers (s3rver, others) answer a multipart upload with the whole body's MD5.
    if (answeredEtag !== etag.expectedEtag() && answeredEtag !== etag.md5) {
      throw new DestinationError('checksum_mismatch', `${key}: the server's ETag ${answeredEtag} is not ${etag.expectedEtag()}, computed from the bytes sent`);
    }
    checkAgainstExpected(file.path, written, file.size, file.checksums);
    return { path: file.path, ...written };
  }

  async stat(path: string): Promise<StoredFile | undefined> {
    const key = objectName(this.settings.folderPath, path);
    await this.checkEndpoint();
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: key }));
      const etag = head.ETag?.replace(/"/g, '');
      return { path, size: head.ContentLength ?? 0, ...(etag && /^[0-9a-f]{32}$/.test(etag) ? { md5: etag } : {}) };
    } catch (error) {
      if ((error as { name?: string }).name === 'NotFound' || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw s3Failure(error, `stat ${key}`, this.settings.bucket);
    }
  }

  urlOf(path: string): string {
    return s3ObjectUrl(this.settings, path);
  }

  async probe(): Promise<void> {
    await this.checkEndpoint();
    const { bucket } = this.settings;
    // A PUT, not HeadBucket: a HEAD answer has no body to say why (missing bucket, bad key), a PUT's has.
    const key = objectName(this.settings.folderPath, probeFileName());
    await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'Switchboard storage-export connection check\n', ContentType: 'text/plain' })).catch((error) => {
      throw s3Failure(error, `write a probe object ${key}`, bucket);
    });
    await this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch((error) => {
      throw s3Failure(error, `remove the probe object ${key}`, bucket);
    });
  }

  async close(): Promise<void> {
    this.client.destroy();
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  /** An endpoint given as an IP literal never goes through `lookup`: it is checked here, once. */
  private checkEndpoint(): Promise<void> {
    if (!this.settings.endpoint) return Promise.resolve();
    this.endpointChecked ??= allowedAddressOf(new URL(this.settings.endpoint).hostname, this.options.policy, this.options.resolver).then(() => undefined);
    const checked = this.endpointChecked;
    checked.catch(() => (this.endpointChecked = undefined));
    return checked;
  }
}
