import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * Computes, while the bytes pass, the ETag S3 will give the object: the MD5 of the body for a single
 * PUT, or for a multipart upload the MD5 of the parts' MD5s followed by "-<parts>" (parts cut every
 * `partSize` bytes, as lib-storage's Upload cuts them). Comparing it with the answered ETag verifies
 * the whole write on any S3-compatible server, without relying on the newer checksum headers.
 */
export class S3EtagStream extends Transform {
  private readonly whole = createHash('md5');
  private part: Hash = createHash('md5');
  private partBytes = 0;
  private readonly partDigests: Buffer[] = [];
  private total = 0;
  private md5Hex: string | undefined;

  constructor(private readonly partSize: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.whole.update(chunk);
    this.total += chunk.length;
    for (let offset = 0; offset < chunk.length; ) {
      const take = Math.min(this.partSize - this.partBytes, chunk.length - offset);
      this.part.update(chunk.subarray(offset, offset + take));
      this.partBytes += take;
      offset += take;
      if (this.partBytes === this.partSize) this.closePart();
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.partBytes > 0) this.closePart();
    this.md5Hex = this.whole.digest('hex');
    callback();
  }

  get size(): number {
    return this.total;
  }

  get md5(): string {
    if (this.md5Hex === undefined) throw new Error('S3EtagStream.md5 before the stream finished');
    return this.md5Hex;
  }

  /** The ETag (without quotes) S3 answers for these bytes uploaded in `partSize` parts. */
  expectedEtag(): string {
    if (this.total <= this.partSize) return this.md5;
    return `${createHash('md5').update(Buffer.concat(this.partDigests)).digest('hex')}-${this.partDigests.length}`;
  }

  private closePart(): void {
    this.partDigests.push(this.part.digest());
    this.part = createHash('md5');
    this.partBytes = 0;
  }
}
