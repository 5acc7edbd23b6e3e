import { Writable } from 'node:stream';
import type { SFTPWrapper } from 'ssh2';
import { channelClosed, channelClosedError, sftpRequest } from './sftp-request';

/** Write requests kept in flight per file: the upload does not wait for each acknowledgement in turn. */
const WRITES_IN_FLIGHT = 32;
/**
 * Bytes kept in flight per file, whatever the write length: 32 of OpenSSH's 256 KiB writes would hold 8 MiB per
 * upload (and ssh2's encrypted copies of them). 1 MiB still keeps a loopback link busy (npm run bench:export: the
 * 100 MiB files went no slower than with 2 MiB) and halves what each upload holds (SE3.5, the RSS goal).
 */
export const BYTES_IN_FLIGHT = 1 * 1024 * 1024;
/** SFTP write payloads every server accepts (OpenSSH announces more through limits@openssh.com). */
const SAFE_WRITE_LENGTH = 32 * 1024;

/**
 * Writes a stream into a new remote file with several write requests in flight at once (ssh2's own
 * write stream waits for each acknowledgement before sending the next block, which makes large files
 * round-trip bound). Opens with truncate on construction; the handle is closed on finish, so
 * 'finish' means every byte was acknowledged and the file is closed.
 */
export class SftpFileWriter extends Writable {
  private handle: Buffer | undefined;
  private position = 0;
  private inFlight = 0;
  private bytesInFlight = 0;
  private failure: Error | undefined;
  private readonly waiters: Array<() => void> = [];

  constructor(
    private readonly sftp: SFTPWrapper,
    private readonly path: string,
  ) {
    super({ highWaterMark: 256 * 1024 });
    sftp.once('close', this.onChannelClosed);
  }

  /** The connection died: fail now, even when no write or acknowledgement is pending to notice it. */
  private readonly onChannelClosed = (): void => {
    this.failure ??= channelClosedError(`write ${this.path}`);
    this.wake();
    this.destroy(this.failure);
  };

  override _construct(callback: (error?: Error | null) => void): void {
    // A channel that closed before this writer listened would leave the open unanswered — and the writer
    // constructing for ever (a destroy waits for the construction): a pipeline through it would hang unless aborted.
    sftpRequest<Buffer>(this.sftp, (done) => this.sftp.open(this.path, 'w', 0o644, done)).then(
      (handle) => {
        this.handle = handle;
        callback();
      },
      (error: Error) => callback(error),
    );
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (channelClosed(this.sftp)) this.failure ??= channelClosedError(`write ${this.path}`);
    if (this.failure) return callback(this.failure);
    const slice = this.writeLength();
    // ssh2 writes each 32 KiB channel packet to the socket on its own: corked, a chunk's packets leave in one writev.
    const socket = (this.sftp as unknown as { _client?: { _sock?: { cork?(): void; uncork?(): void } } })._client?._sock;
    socket?.cork?.();
    try {
      for (let offset = 0; offset < chunk.length; offset += slice) this.send(chunk.subarray(offset, offset + slice));
    } finally {
      socket?.uncork?.();
    }
    this.whenBelow(WRITES_IN_FLIGHT, () => callback(this.failure), BYTES_IN_FLIGHT);
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.failure) return callback(this.failure);
    const handle = this.handle!;
    this.handle = undefined;
    this.sftp.off('close', this.onChannelClosed);
    // The close goes out right behind the last writes (one round trip saved per file); success is
    // reported only once every write was acknowledged too, so a failed write still fails the file.
    sftpRequest(this.sftp, (done) => this.sftp.close(handle, done)).then(
      () => this.whenBelow(1, () => callback(this.failure ?? null)),
      (closeError: Error) => this.whenBelow(1, () => callback(this.failure ?? closeError)),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.sftp.off('close', this.onChannelClosed);
    const handle = this.handle;
    this.handle = undefined;
    // Best effort and not awaited: on a dead connection the close is never answered, and the error
    // that destroyed the writer is what counts. The temporary file is removed (or left) by the caller.
    if (handle) {
      try {
        this.sftp.close(handle, () => undefined);
      } catch {
        // the channel is gone already
      }
    }
    callback(error);
  }

  private send(data: Buffer): void {
    this.inFlight++;
    this.bytesInFlight += data.length;
    const position = this.position;
    this.position += data.length;
    this.sftp.write(this.handle!, data, 0, data.length, position, (error) => {
      this.inFlight--;
      this.bytesInFlight -= data.length;
      if (error && !this.failure) this.failure = error;
      this.wake();
    });
  }

  private writeLength(): number {
    const announced = (this.sftp as unknown as { _maxWriteLen?: number })._maxWriteLen;
    return announced && announced > 0 ? announced : SAFE_WRITE_LENGTH;
  }

  /** Runs `then` once fewer than `limit` writes (and fewer than `byteLimit` bytes) are unacknowledged, or on a failure. */
  private whenBelow(limit: number, then: () => void, byteLimit = Infinity): void {
    if ((this.inFlight < limit && this.bytesInFlight < byteLimit) || this.failure) return then();
    this.waiters.push(() => this.whenBelow(limit, then, byteLimit));
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}
