import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DestinationError } from './storage-destination';
import { streamWithDeadline } from './stream-deadline';

const destinationFailure = (error: unknown) => new DestinationError('connection_lost', String(error));

describe('streamWithDeadline (SE3.3 no transfer waits for ever)', () => {
  it('fails as a timeout when no byte moves for the idle time', async () => {
    const stalled = new Readable({ read: () => undefined });
    const error = await streamWithDeadline(stalled, [new PassThrough(), sink()], 100, undefined, destinationFailure).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'timeout', message: 'No progress for 100 ms' });
  });

  it('fails as a timeout even when a stream never closes after the abort (a destination whose open is never answered)', async () => {
    const stalled = new Readable({ read: () => undefined });
    // A destroy waits for _construct: this writer can never close.
    const neverOpens = new Writable({ construct: () => undefined, write: (_chunk, _encoding, done) => done() });
    const started = Date.now();
    const error = await streamWithDeadline(stalled, [new PassThrough(), neverOpens], 100, undefined, destinationFailure).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('passes the bytes through when they flow', async () => {
    const received: Buffer[] = [];
    await streamWithDeadline(Readable.from([Buffer.from('a'), Buffer.from('b')]), [new PassThrough(), sink(received)], 100, undefined, destinationFailure);
    expect(Buffer.concat(received).toString()).toBe('ab');
  });
});

function sink(into: Buffer[] = []): Writable {
  return new Writable({ write: (chunk: Buffer, _encoding, done) => (into.push(chunk), done()) });
}
