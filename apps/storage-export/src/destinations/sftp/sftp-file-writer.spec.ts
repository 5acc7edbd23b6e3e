import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SFTPWrapper } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { BYTES_IN_FLIGHT, SftpFileWriter } from './sftp-file-writer';

/**
 * The SFTP channel's request side as the writer uses it (open, write, close), answering writes a little later
 * like a server does, and recording how many bytes were ever unacknowledged at once. The real server's behaviour
 * is covered by sftp-destination.int.spec.ts; this pins the writer's own flow control.
 */
function channel(maxWriteLen: number) {
  const written = new Map<number, Buffer>();
  let pending = 0;
  let peak = 0;
  const sftp = Object.assign(new EventEmitter(), {
    _maxWriteLen: maxWriteLen,
    incoming: { state: 'open' },
    outgoing: { state: 'open' },
    open: (_path: string, _flags: string, _mode: number, done: (error: Error | null, handle: Buffer) => void) => setImmediate(() => done(null, Buffer.from('h'))),
    close: (_handle: Buffer, done: (error: Error | null) => void) => setImmediate(() => done(null)),
    write(_handle: Buffer, data: Buffer, _offset: number, length: number, position: number, done: (error: Error | null) => void) {
      pending += length;
      peak = Math.max(peak, pending);
      written.set(position, Buffer.from(data));
      setTimeout(() => {
        pending -= length;
        done(null);
      }, 1);
    },
  });
  return { sftp: sftp as unknown as SFTPWrapper, written, peak: () => peak };
}

describe('SFTP file writer (several writes in flight)', () => {
  it('SE3.5 keeps at most BYTES_IN_FLIGHT plus one source chunk unacknowledged, even with 256 KiB writes, and writes every byte in place', async () => {
    const { sftp, written, peak } = channel(256 * 1024);
    const bytes = Buffer.alloc(24 * 1024 * 1024);
    for (let index = 0; index < bytes.length; index += 4096) bytes.writeUInt32BE(index, index);
    const chunks = Array.from({ length: bytes.length / (256 * 1024) }, (_, index) => bytes.subarray(index * 256 * 1024, (index + 1) * 256 * 1024));

    await pipeline(Readable.from(chunks), new SftpFileWriter(sftp, 'file.part'));

    expect(Buffer.concat([...written.entries()].sort(([a], [b]) => a - b).map(([, data]) => data)).equals(bytes)).toBe(true);
    expect(peak()).toBeGreaterThan(BYTES_IN_FLIGHT / 2);
    expect(peak()).toBeLessThanOrEqual(BYTES_IN_FLIGHT + 256 * 1024);
  });
});
