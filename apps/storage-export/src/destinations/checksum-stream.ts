import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { DestinationError, type FileChecksums, type PutFile } from './storage-destination';

export type ChecksumAlgorithm = 'md5' | 'sha256';

/**
 * Passes bytes through unchanged while counting them and hashing them (SE3.5: the file is never
 * held whole). `result()` is valid once the stream has finished.
 */
export class ChecksumStream extends Transform {
  private readonly hashes: Partial<Record<ChecksumAlgorithm, Hash>> = {};
  private bytes = 0;
  private digests: FileChecksums | undefined;

  /**
   * With `expected` (the file's announced size and checksums), a stream whose bytes differ fails before it
   * ends: the destination then never sees the end of the file, so nothing short or wrong is finalized.
   */
  constructor(
    algorithms: readonly ChecksumAlgorithm[],
    private readonly expected?: { path: string; size?: number; checksums?: FileChecksums },
  ) {
    super();
    for (const algorithm of algorithms) this.hashes[algorithm] = createHash(algorithm);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    const size = this.expected?.size;
    if (size !== undefined && this.bytes > size) {
      return callback(new DestinationError('source_failed', `${this.expected!.path}: the source delivered more than the ${size} bytes announced`));
    }
    for (const hash of Object.values(this.hashes)) hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.digests = Object.fromEntries(Object.entries(this.hashes).map(([algorithm, hash]) => [algorithm, hash.digest('hex')]));
    if (!this.expected) return callback();
    try {
      checkAgainstExpected(this.expected.path, this.result(), this.expected.size, this.expected.checksums);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  get size(): number {
    return this.bytes;
  }

  result(): FileChecksums & { size: number } {
    if (!this.digests) throw new Error('ChecksumStream.result() before the stream finished');
    return { size: this.bytes, ...this.digests };
  }

  /** What a put reports (size, SHA-256, and MD5 when it was hashed); the stream must hash sha256. */
  written(): Omit<PutFile, 'path'> {
    const { sha256, ...rest } = this.result();
    if (!sha256) throw new Error('ChecksumStream.written() needs a stream that hashes sha256');
    return { ...rest, sha256 };
  }
}

/** The algorithms to compute: always sha256, and md5 too when the caller knows the md5 in advance. */
export function algorithmsFor(expected: FileChecksums | undefined): ChecksumAlgorithm[] {
  return expected?.md5 ? ['sha256', 'md5'] : ['sha256'];
}

/**
 * Fails with 'source_failed' when the source delivered another size than announced, and with
 * 'checksum_mismatch' when a checksum known in advance differs from what was written.
 */
export function checkAgainstExpected(path: string, written: FileChecksums & { size: number }, expectedSize: number | undefined, expected: FileChecksums | undefined): void {
  if (expectedSize !== undefined && written.size !== expectedSize) {
    throw new DestinationError('source_failed', `${path}: the source delivered ${written.size} bytes, ${expectedSize} were announced`);
  }
  for (const algorithm of ['md5', 'sha256', 'crc32c'] as const) {
    const want = expected?.[algorithm];
    const got = written[algorithm];
    if (want && got && want.toLowerCase() !== got) {
      throw new DestinationError('checksum_mismatch', `${path}: ${algorithm} of the written bytes is ${got}, ${want} was expected`);
    }
  }
}
